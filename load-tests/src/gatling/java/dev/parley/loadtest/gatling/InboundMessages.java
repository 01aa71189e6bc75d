package dev.parley.loadtest.gatling;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.Session;

/**
 * Reads the server messages no Gatling check was waiting for (Gatling hands them to
 * {@code ws.processUnmatchedMessages} and forgets them at the next send, so this runs before every
 * frame): the user's final {@code transcript} of the current turn goes into the session
 * ({@value #TRANSCRIPT_AT}) and the figures, and so do assistant audio frames, {@code error}
 * messages and a {@code status-update} "ended" the caller did not ask for.
 */
final class InboundMessages {

  /** Epoch ms of the current turn's last speech frame; absent while the caller is still speaking. */
  static final String SPEECH_END = "speechEndMs";
  /** Epoch ms the current turn's final user transcript arrived; absent until it does. */
  static final String TRANSCRIPT_AT = "userTranscriptMs";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CallFigures figures;

  InboundMessages(CallFigures figures) {
    this.figures = figures;
  }

  Session take(List<WsInboundMessage> messages, Session session) {
    Session next = session;
    int audioFrames = 0;
    for (WsInboundMessage message : messages) {
      if (message instanceof WsInboundMessage.Text text) {
        next = onText(readJson(text.message()), text.timestamp(), next);
      } else {
        audioFrames++;
      }
    }
    figures.assistantFrames(audioFrames);
    return next;
  }

  private Session onText(JsonNode message, long arrivedAt, Session session) {
    switch (message.path("type").asText("")) {
      case "transcript" -> {
        boolean finalUserTranscript = "user".equals(message.path("role").asText())
            && "final".equals(message.path("transcriptType").asText());
        if (finalUserTranscript && session.contains(SPEECH_END) && !session.contains(TRANSCRIPT_AT)) {
          figures.transcriptAfter(arrivedAt - session.getLong(SPEECH_END));
          return session.set(TRANSCRIPT_AT, arrivedAt);
        }
      }
      case "error" -> figures.serverError(message.path("message").asText());
      case "status-update" -> {
        if ("ended".equals(message.path("status").asText())) {
          figures.endedEarly(message.path("endedReason").asText("?"));
        }
      }
      default -> {
        // speech-update, model-output, conversation-update: not needed for the figures
      }
    }
    return session;
  }

  private static JsonNode readJson(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      return MAPPER.createObjectNode().put("type", "error").put("message", "not JSON: " + text);
    }
  }
}
