package dev.parley.call.provider;

/** A piece of a streamed model reply. */
public sealed interface ModelEvent {

  /** More reply text, in order. */
  record TextDelta(String text) implements ModelEvent {}

  /** The model calls a tool; {@code arguments} is complete JSON. */
  record ToolCallRequested(ChatMessage.ToolCall call) implements ModelEvent {}
}
