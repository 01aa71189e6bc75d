package dev.parley.call.live;

import dev.parley.call.CallEntity;
import dev.parley.call.provider.ChatMessage;

/**
 * What a call's own streams and timers tell its entity. Local to the entity's node: never
 * persisted, never sent between nodes.
 */
public sealed interface LiveSignal extends CallEntity.Command {

  record CallerControl(String connectionId, String json) implements LiveSignal {}

  record CallerGone(String connectionId, String reason) implements LiveSignal {}

  record Vad(String connectionId, VadEvent event) implements LiveSignal {}

  record Heard(String connectionId, String text, boolean isFinal, long atNanos) implements LiveSignal {}

  /** A stream of the call failed; {@code endedReason} says which provider. */
  record PipelineFailed(String endedReason, String message) implements LiveSignal {}

  record ModelDelta(int replyId, String text, long atNanos) implements LiveSignal {}

  record ModelToolCall(int replyId, ChatMessage.ToolCall call) implements LiveSignal {}

  record ReplyAudioStarted(int replyId, long atNanos) implements LiveSignal {}

  record ReplyDone(int replyId) implements LiveSignal {}

  /** A reply's model or voice failed; {@code endedReason} says which provider. */
  record ReplyFailed(int replyId, String endedReason, String message) implements LiveSignal {}

  /** Timers. */
  record Tick(String what, int generation) implements LiveSignal {}

  record ReconnectWindowOver(int attachCount) implements LiveSignal {}
}
