package dev.parley.call.providers.deepgram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A text frame from Deepgram's {@code /listen} socket, reduced to what transcription needs. */
sealed interface DeepgramReply {

  ObjectMapper MAPPER = new ObjectMapper();

  /** {@code Results}: the top alternative of one segment. */
  record Results(String transcript, boolean isFinal, boolean fromFinalize) implements DeepgramReply {}

  /** An error Deepgram reports in-band; the call cannot go on hearing. */
  record Failure(String description) implements DeepgramReply {}

  /** {@code Metadata}, {@code SpeechStarted}, {@code UtteranceEnd} and anything newer. */
  record Other(String type) implements DeepgramReply {}

  static DeepgramReply parse(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return new Failure("unreadable message from Deepgram: " + e.getOriginalMessage());
    }
    String type = node.path("type").asText("");
    if ("Results".equals(type)) {
      return new Results(node.path("channel").path("alternatives").path(0).path("transcript").asText(""),
          node.path("is_final").asBoolean(false), node.path("from_finalize").asBoolean(false));
    }
    if ("Error".equals(type) || node.has("err_code") || node.has("err_msg")) {
      return new Failure(describe(node));
    }
    return new Other(type);
  }

  private static String describe(JsonNode error) {
    StringBuilder text = new StringBuilder();
    for (String field : new String[] {"err_code", "variant", "code", "err_msg", "description", "message"}) {
      String value = error.path(field).asText("");
      if (!value.isEmpty()) {
        text.append(text.length() == 0 ? "" : ": ").append(value);
      }
    }
    return text.length() == 0 ? error.toString() : text.toString();
  }
}
