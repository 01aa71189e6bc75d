package dev.parley.call.provider;

import java.util.List;

/**
 * One message of the model's context, in OpenAI's shape: {@code role} is system, user, assistant
 * or tool; an assistant message may carry tool calls, a tool message answers one by id.
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content, List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content, List.of(), null);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content, List.of(), null);
  }

  public static ChatMessage toolResult(String toolCallId, String content) {
    return new ChatMessage("tool", content, List.of(), toolCallId);
  }

  /** A call the model asked for: {@code arguments} is a JSON object as text. */
  public record ToolCall(String id, String name, String arguments) {}
}
