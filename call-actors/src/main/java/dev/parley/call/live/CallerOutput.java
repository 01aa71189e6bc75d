package dev.parley.call.live;

import dev.parley.persistence.serialization.ClusterSerializable;

/** What a call sends to its caller's connection: audio (16 kHz PCM), a JSON message, or a close. */
public sealed interface CallerOutput extends ClusterSerializable {

  record Audio(byte[] pcm) implements CallerOutput {}

  record Message(String json) implements CallerOutput {}

  /** The call is over (or the connection was refused): close with this WebSocket code. */
  record Close(int code, String reason) implements CallerOutput {}
}
