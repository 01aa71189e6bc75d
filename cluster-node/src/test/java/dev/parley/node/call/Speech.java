package dev.parley.node.call;

import java.util.Arrays;

/** Caller audio shaping for timing tests. */
final class Speech {

  private static final int LOUD = 600;

  private Speech() {}

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
