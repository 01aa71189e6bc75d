package dev.parley.call.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.ModelRequest;

/**
 * The body of a streamed chat completion: the assistant's model name, the conversation in
 * OpenAI's message shape, its tools, and {@code temperature} / {@code max_tokens} only when the
 * assistant sets {@code temperature} / {@code maxTokens} (some models refuse either).
 */
final class ChatRequestBody {

  private ChatRequestBody() {}

  static ObjectNode of(ModelRequest request, String label) {
    JsonNode model = request.model();
    if (!model.path("model").isTextual() || model.path("model").asText().isBlank()) {
      throw new IllegalArgumentException(label + ": the assistant's model.model (the model name) is required");
    }
    ObjectNode body = OpenAiClient.JSON.createObjectNode();
    body.put("model", model.path("model").asText());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.add(message(message));
    }
    if (!request.tools().isEmpty()) {
      body.putArray("tools").addAll(request.tools());
    }
    if (model.path("temperature").isNumber()) {
      body.set("temperature", model.path("temperature"));
    }
    if (model.path("maxTokens").isNumber()) {
      body.put("max_tokens", model.path("maxTokens").asInt());
    }
    body.put("stream", true);
    return body;
  }

  private static ObjectNode message(ChatMessage message) {
    ObjectNode json = OpenAiClient.JSON.createObjectNode().put("role", message.role());
    json.put("content", message.content());
    if (message.toolCalls() != null && !message.toolCalls().isEmpty()) {
      ArrayNode calls = json.putArray("tool_calls");
      for (ChatMessage.ToolCall call : message.toolCalls()) {
        ObjectNode wire = calls.addObject().put("id", call.id()).put("type", "function");
        wire.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    if (message.toolCallId() != null) {
      json.put("tool_call_id", message.toolCallId());
    }
    return json;
  }
}
