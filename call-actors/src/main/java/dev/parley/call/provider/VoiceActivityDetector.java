package dev.parley.call.provider;

/** Voice activity: a speech probability per fixed-size frame of 16 kHz PCM. */
public interface VoiceActivityDetector {

  /** Samples per frame that {@link Session#speechProbability} takes. */
  int frameSamples();

  /** A detector state for one call's audio; sessions are not thread-safe. */
  Session open();

  interface Session extends AutoCloseable {
    /** {@code frame}: exactly {@link #frameSamples()} samples. Returns 0..1. */
    float speechProbability(short[] frame);

    @Override
    void close();
  }
}
