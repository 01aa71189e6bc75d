package dev.parley.call.live;

import org.apache.pekko.util.ByteString;

/** What the voice detector makes of the caller's audio. */
sealed interface VadEvent {

  /** Caller audio for the transcriber: speech, with a little audio before it and a short tail. */
  record Speech(ByteString pcm) implements VadEvent {}

  /** Speech began; {@code atNanos} is when its first voiced frame arrived (System.nanoTime). */
  record SpeechStarted(long atNanos) implements VadEvent {}

  /**
   * Speech ended; {@code lastVoiceNanos} is when its last voiced sample arrived: the last voiced
   * frame's arrival less the quiet samples at its end.
   */
  record SpeechEnded(long lastVoiceNanos) implements VadEvent {}
}
