package dev.parley.call.audio;

/** Conversions between 16-bit little-endian PCM bytes and samples. */
public final class Samples {

  private Samples() {}

  /** {@code pcm}: whole 16-bit little-endian samples; an odd last byte is ignored. */
  public static short[] fromBytes(byte[] pcm) {
    return fromBytes(pcm, 0, pcm.length);
  }

  public static short[] fromBytes(byte[] pcm, int offset, int length) {
    short[] samples = new short[length / 2];
    for (int i = 0; i < samples.length; i++) {
      int at = offset + 2 * i;
      samples[i] = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
    }
    return samples;
  }

  public static byte[] toBytes(short[] samples) {
    return toBytes(samples, samples.length);
  }

  public static byte[] toBytes(short[] samples, int count) {
    byte[] pcm = new byte[count * 2];
    for (int i = 0; i < count; i++) {
      pcm[2 * i] = (byte) samples[i];
      pcm[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return pcm;
  }

  /** Rounds and clamps to the 16-bit range. */
  public static short clamp(double sample) {
    long rounded = Math.round(sample);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
  }
}
