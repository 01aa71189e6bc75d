package dev.parley.call.live;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.CallMessage;
import dev.parley.call.CallState;
import dev.parley.call.provider.ChatMessage;

/** The model's view of a call: the conversation as OpenAI messages and the assistant's tools. */
final class ModelContext {

  static final String END_CALL = "endCall";

  private ModelContext() {}

  /** The system prompts of the assistant's {@code model.messages}, in order. */
  static List<String> systemPrompts(JsonNode assistant) {
    List<String> prompts = new ArrayList<>();
    for (JsonNode message : assistant.path("model").path("messages")) {
      if ("system".equals(message.path("role").asText()) && !message.path("content").asText().isEmpty()) {
        prompts.add(message.path("content").asText());
      }
    }
    return prompts;
  }

  /** What the caller heard is what the model remembers: interrupted replies count only their heard part. */
  static List<ChatMessage> messages(CallState state) {
    List<ChatMessage> messages = new ArrayList<>();
    for (CallMessage message : state.messages()) {
      if (message instanceof CallMessage.System m) {
        messages.add(ChatMessage.system(m.message()));
      } else if (message instanceof CallMessage.User m) {
        messages.add(ChatMessage.user(m.message()));
      } else if (message instanceof CallMessage.Bot m && !m.message().isEmpty()) {
        messages.add(ChatMessage.assistant(m.message()));
      } else if (message instanceof CallMessage.ToolCall m) {
        messages.add(new ChatMessage("assistant", null,
            List.of(new ChatMessage.ToolCall(m.toolCallId(), m.name(), m.arguments())), null));
      } else if (message instanceof CallMessage.ToolResult m) {
        messages.add(ChatMessage.toolResult(m.toolCallId(), m.result()));
      }
    }
    return messages;
  }

  /**
   * Whether the conversation ends on a turn nobody answered: the caller's words or a tool's result
   * after the last reply. A call that restarted between the turn and its reply is in that state.
   */
  static boolean awaitsReply(CallState state) {
    for (int i = state.messages().size() - 1; i >= 0; i--) {
      CallMessage message = state.messages().get(i);
      if (message instanceof CallMessage.System) {
        continue;
      }
      return message instanceof CallMessage.User || message instanceof CallMessage.ToolResult;
    }
    return false;
  }

  /** Whether nobody has said anything yet: the call has only its system prompts. */
  static boolean nothingSaid(CallState state) {
    return state.messages().stream().allMatch(CallMessage.System.class::isInstance);
  }

  /** The assistant's inline tools as OpenAI function tools; {@code endCall} is Vapi's built-in hang-up. */
  static List<JsonNode> tools(JsonNode assistant) {
    List<JsonNode> tools = new ArrayList<>();
    for (JsonNode tool : assistant.path("model").path("tools")) {
      String type = tool.path("type").asText();
      ObjectNode function = ServerMessages.MAPPER.createObjectNode();
      if (END_CALL.equals(type)) {
        function.put("name", END_CALL).put("description", "Ends the call.");
        function.putObject("parameters").put("type", "object");
      } else if ("function".equals(type) && tool.path("function").isObject()) {
        function.setAll((ObjectNode) tool.path("function").deepCopy());
      } else {
        continue;
      }
      ObjectNode wrapped = ServerMessages.MAPPER.createObjectNode().put("type", "function");
      wrapped.set("function", function);
      tools.add(wrapped);
    }
    return tools;
  }
}
