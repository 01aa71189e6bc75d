package dev.parley.call.live;

import dev.parley.persistence.serialization.ClusterSerializable;

/** What a call sends to its caller's connection: audio (16 kHz PCM), a JSON message, or a close. */
public sealed interface CallerOutput extends ClusterSerializable {

  /** The call is over: the caller's socket closes. */
  int CLOSE_CALL_ENDED = 1000;
  /** The call's entity stopped without ending the call (moved or its node is stopping). */
  int CLOSE_CALL_MOVED = 1001;

  record Audio(byte[] pcm) implements CallerOutput {}

  record Message(String json) implements CallerOutput {}

  /**
   * Not for the caller: the call has written to its journal everything that the caller's input up to
   * here meant to it. A connection that must join the call again (its node died) sends the call
   * what came after the last checkpoint once more, so that a turn heard but not yet written is not
   * lost.
   */
  record Checkpoint() implements CallerOutput {}

  /** The call's side of the connection is over, for the reason its code says. */
  record Close(int code, String reason) implements CallerOutput {}
}
