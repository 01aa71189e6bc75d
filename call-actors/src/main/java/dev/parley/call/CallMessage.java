package dev.parley.call;

import java.time.Instant;

import dev.parley.persistence.serialization.ClusterSerializable;

/** One entry of a call's conversation, in the order it happened. */
public sealed interface CallMessage extends ClusterSerializable {

  Instant time();

  /** The assistant's system prompt (or a system message added by the client). */
  record System(String message, Instant time) implements CallMessage {}

  /** A final user turn. */
  record User(String message, Instant time, Instant endTime) implements CallMessage {}

  /**
   * What the assistant said, as the caller heard it ({@code message}); {@code fullText} is what it
   * meant to say. {@code source}: first-message, model, say, end-call-message. {@code latency} is
   * null when no user turn led to it.
   */
  record Bot(String message, String fullText, boolean interrupted, Instant time, Instant endTime,
      String source, TurnLatency latency) implements CallMessage {}

  /** The model asked for a tool; {@code arguments} is JSON text. */
  record ToolCall(String toolCallId, String name, String arguments, Instant time) implements CallMessage {}

  record ToolResult(String toolCallId, String name, String result, Instant time) implements CallMessage {}
}
