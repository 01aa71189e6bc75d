package dev.parley.call.provider;

import org.apache.pekko.util.ByteString;

/** What a transcriber stream takes: audio, and the voice detector's verdict that speech ended. */
public sealed interface SttInput {

  /** 16 kHz mono PCM, any length. */
  record Audio(ByteString pcm) implements SttInput {}

  /** The caller stopped speaking: a provider should finalise what it heard so far. */
  record SpeechEnded() implements SttInput {}
}
