package dev.parley.node.call;

import java.util.Arrays;

import dev.parley.call.provider.VoiceActivityDetector;

/** Caller audio shaping for timing tests. */
final class Speech {

  private static final int LOUD = 600;

  private Speech() {}

  /**
   * Where a voice detector hears speech begin in 16 kHz PCM, in ms: the start of the first two
   * frames in a row it rates as speech, as the platform's segmenter decides.
   */
  static long voiceOnsetMs(VoiceActivityDetector vad, byte[] pcm) {
    int samples = vad.frameSamples();
    try (VoiceActivityDetector.Session session = vad.open()) {
      boolean previousVoiced = false;
      for (int frame = 0; (frame + 1) * samples * 2 <= pcm.length; frame++) {
        short[] chunk = new short[samples];
        for (int i = 0; i < samples; i++) {
          int at = (frame * samples + i) * 2;
          chunk[i] = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
        }
        boolean voiced = session.speechProbability(chunk) >= 0.5f;
        if (voiced && previousVoiced) {
          return (frame - 1) * samples * 1000L / 16_000;
        }
        previousVoiced = voiced;
      }
    }
    throw new IllegalArgumentException("no speech in the audio");
  }

  /** The 16 kHz PCM from its first loud sample on, so that the first frame sent is already speech. */
  static byte[] trimLeadingSilence(byte[] pcm) {
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      int sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
      if (Math.abs(sample) >= LOUD) {
        return Arrays.copyOfRange(pcm, i, pcm.length);
      }
    }
    return pcm;
  }
}
