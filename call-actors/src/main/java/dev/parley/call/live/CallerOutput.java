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

  /** The call's side of the connection is over, for the reason its code says. */
  record Close(int code, String reason) implements CallerOutput {}
}
