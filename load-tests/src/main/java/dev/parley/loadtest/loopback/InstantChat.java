package dev.parley.loadtest.loopback;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI's {@code POST /v1/chat/completions} answering at once with a fixed reply: streamed as
 * Server-Sent Events (a role chunk, one content delta per word, a {@code stop} chunk,
 * {@code [DONE]}) when {@code stream} is true, else as one {@code chat.completion}. Tagged: when the
 * last user message names a {@link TurnTags} turn, the reply says which and how many user turns
 * came before it in the context ("Heard turn 7 after 3 turns."), so a caller can check that a call
 * kept its history.
 */
final class InstantChat {

  private final String reply;
  private final boolean tagged;
  private final ServedFigures figures;

  InstantChat(String reply, boolean tagged, ServedFigures figures) {
    this.reply = reply;
    this.tagged = tagged;
    this.figures = figures;
  }

  HttpResponse answer(JsonNode request) {
    if (!request.path("messages").isArray()) {
      return OpenAiErrors.badRequest(figures, "'messages' must be an array");
    }
    figures.chatCompletions.incrementAndGet();
    String model = request.path("model").asText("instant");
    String reply = tagged ? taggedReply(request.path("messages")) : this.reply;
    if (!request.path("stream").asBoolean(false)) {
      ObjectNode completion = chunk(model, "chat.completion");
      completion.withArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
          .putObject("message").put("role", "assistant").put("content", reply);
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, completion.toString());
    }
    List<String> events = new ArrayList<>();
    events.add(delta(model, Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
    for (String piece : pieces(reply)) {
      events.add(delta(model, Json.MAPPER.createObjectNode().put("content", piece), null));
      figures.chatDeltas.incrementAndGet();
    }
    events.add(delta(model, Json.MAPPER.createObjectNode(), "stop"));
    events.add("[DONE]");
    Source<ByteString, ?> body = Source.from(events).map(e -> ByteString.fromString("data: " + e + "\n\n"));
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(
            ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM), body));
  }

  /** "Heard turn 7 after 3 turns." when the last user message names a turn; the fixed reply otherwise. */
  private String taggedReply(JsonNode messages) {
    List<String> said = new ArrayList<>();
    messages.forEach(m -> {
      if (m.path("role").asText().equals("user")) {
        said.add(m.path("content").asText(""));
      }
    });
    if (said.isEmpty()) {
      return reply;
    }
    return TurnTags.parse(said.get(said.size() - 1)).stream()
        .mapToObj(tag -> TurnTags.reply(tag, said.size() - 1)).findFirst().orElse(reply);
  }

  /** Each word with the space before it, so the deltas concatenate back to the reply. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    String[] words = text.split(" ");
    for (int i = 0; i < words.length; i++) {
      pieces.add(i == 0 ? words[i] : " " + words[i]);
    }
    return pieces;
  }

  private static String delta(String model, ObjectNode delta, String finishReason) {
    ObjectNode chunk = chunk(model, "chat.completion.chunk");
    ObjectNode choice = chunk.withArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk.toString();
  }

  private static ObjectNode chunk(String model, String object) {
    return Json.MAPPER.createObjectNode().put("id", "chatcmpl-instant").put("object", object)
        .put("created", System.currentTimeMillis() / 1000).put("model", model);
  }
}
