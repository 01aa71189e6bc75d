package dev.parley.call.providers.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ProviderException;

/**
 * Reads one streamed chat completion, an SSE {@code data:} payload at a time: text deltas pass on
 * at once; tool calls arrive in pieces keyed by {@code index} (id and name first, arguments split
 * over many chunks) and pass on whole, in index order, when a {@code finish_reason} or
 * {@code [DONE]} says the message is complete. One per stream; not thread-safe.
 */
final class ChatChunks {

  static final String DONE = "[DONE]";

  private final OpenAiEndpoint endpoint;
  private final Map<Integer, PartialCall> calls = new TreeMap<>();
  private boolean finished;
  private boolean done;

  ChatChunks(OpenAiEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** True once {@code [DONE]} arrived: nothing after it is read. */
  boolean done() {
    return done;
  }

  List<ModelEvent> onData(String data) {
    if (DONE.equals(data.strip())) {
      done = true;
      return completedCalls();
    }
    JsonNode chunk = parse(data);
    if (chunk.has("error")) {
      throw failure("the stream reported an error: " + OpenAiClient.errorMessage(data));
    }
    List<ModelEvent> events = new ArrayList<>();
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
      events.add(new ModelEvent.TextDelta(delta.path("content").asText()));
    }
    for (JsonNode piece : delta.path("tool_calls")) {
      calls.computeIfAbsent(piece.path("index").asInt(calls.size()), PartialCall::new).add(piece);
    }
    if (choice.path("finish_reason").isTextual()) {
      finished = true;
      events.addAll(completedCalls());
    }
    return events;
  }

  /** At the end of the body: a stream that stopped before the reply finished is a failure. */
  List<ModelEvent> onEnd() {
    if (!done && !finished) {
      throw failure("the stream ended before the reply finished (no finish_reason and no [DONE])");
    }
    return completedCalls();
  }

  private List<ModelEvent> completedCalls() {
    List<ModelEvent> events = new ArrayList<>();
    for (PartialCall call : calls.values()) {
      events.add(new ModelEvent.ToolCallRequested(call.toToolCall()));
    }
    calls.clear();
    return events;
  }

  private JsonNode parse(String data) {
    try {
      JsonNode chunk = OpenAiClient.JSON.readTree(data);
      if (chunk == null || !chunk.isObject()) {
        throw failure("a stream chunk is not a JSON object: " + abbreviate(data));
      }
      return chunk;
    } catch (JsonProcessingException e) {
      throw failure("a stream chunk is not JSON: " + abbreviate(data));
    }
  }

  private ProviderException failure(String message) {
    return new ProviderException(endpoint.failureReason(), endpoint.label() + ": " + message);
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** A tool call as far as it has arrived. */
  private static final class PartialCall {
    private final int index;
    private String id = "";
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();

    PartialCall(int index) {
      this.index = index;
    }

    void add(JsonNode piece) {
      if (id.isEmpty() && piece.path("id").isTextual()) {
        id = piece.path("id").asText();
      }
      name.append(piece.path("function").path("name").asText(""));
      arguments.append(piece.path("function").path("arguments").asText(""));
    }

    ChatMessage.ToolCall toToolCall() {
      // Some OpenAI-compatible servers leave out ids; the call still needs one to be answered.
      return new ChatMessage.ToolCall(id.isEmpty() ? "call_" + index : id, name.toString(),
          arguments.isEmpty() ? "{}" : arguments.toString());
    }
  }
}
