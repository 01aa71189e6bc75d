package dev.parley.call.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.CallState;
import dev.parley.call.VapiMessages;

/** Vapi's server messages, as the JSON text frames a call sends its caller. */
public final class ServerMessages {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private ServerMessages() {}

  static String statusUpdate(String status, String endedReason) {
    ObjectNode node = MAPPER.createObjectNode().put("type", "status-update").put("status", status);
    if (endedReason != null) {
      node.put("endedReason", endedReason);
    }
    return node.toString();
  }

  static String speechUpdate(String status, String role, int turn) {
    return MAPPER.createObjectNode().put("type", "speech-update").put("status", status).put("role", role)
        .put("turn", turn).toString();
  }

  static String transcript(String role, boolean isFinal, String text) {
    return MAPPER.createObjectNode().put("type", "transcript").put("role", role)
        .put("transcriptType", isFinal ? "final" : "partial").put("transcript", text).toString();
  }

  static String modelOutput(String delta) {
    return MAPPER.createObjectNode().put("type", "model-output").put("output", delta).toString();
  }

  static String userInterrupted() {
    return MAPPER.createObjectNode().put("type", "user-interrupted").toString();
  }

  static String conversationUpdate(CallState state) {
    ObjectNode node = MAPPER.createObjectNode().put("type", "conversation-update");
    node.set("messages", VapiMessages.messages(state));
    node.set("messagesOpenAIFormatted", VapiMessages.openAiFormatted(state));
    return node.toString();
  }

  static String endOfCallReport(CallState state) {
    ObjectNode node = MAPPER.createObjectNode().put("type", "end-of-call-report")
        .put("endedReason", state.endedReason());
    if (state.startedAt() != null) {
      node.put("startedAt", state.startedAt().toString());
    }
    if (state.endedAt() != null) {
      node.put("endedAt", state.endedAt().toString());
    }
    node.put("transcript", VapiMessages.transcript(state.messages()));
    node.set("messages", VapiMessages.messages(state));
    ObjectNode artifact = node.putObject("artifact");
    artifact.put("transcript", VapiMessages.transcript(state.messages()));
    artifact.set("messages", VapiMessages.messages(state));
    artifact.set("messagesOpenAIFormatted", VapiMessages.openAiFormatted(state));
    return node.toString();
  }

  public static String error(String message) {
    return MAPPER.createObjectNode().put("type", "error").put("message", message).toString();
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
