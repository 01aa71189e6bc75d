package dev.parley.loadtest.robot;

/** Test audio: 16 kHz PCM tones and silence. */
final class Tones {

  private Tones() {}

  static byte[] sine(double hertz, int millis, int amplitude) {
    int samples = 16 * millis;
    byte[] pcm = new byte[2 * samples];
    for (int i = 0; i < samples; i++) {
      short s = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hertz * i / 16_000));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }
}
