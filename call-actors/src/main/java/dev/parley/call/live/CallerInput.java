package dev.parley.call.live;

import dev.parley.persistence.serialization.ClusterSerializable;

/** What a caller's connection sends into a call: audio (16 kHz PCM) or a JSON control message. */
public sealed interface CallerInput extends ClusterSerializable {

  record Audio(byte[] pcm) implements CallerInput {}

  record Control(String json) implements CallerInput {}
}
