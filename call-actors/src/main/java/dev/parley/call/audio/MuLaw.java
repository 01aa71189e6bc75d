package dev.parley.call.audio;

/** G.711 mu-law: one byte per sample, to and from 16-bit little-endian PCM. */
public final class MuLaw {

  private static final int BIAS = 0x84;
  private static final int CLIP = 32_635;
  private static final short[] DECODED = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      DECODED[i] = decodeSample((byte) i);
    }
  }

  private MuLaw() {}

  /** {@code pcm}: 16-bit little-endian samples (even length). */
  public static byte[] encode(byte[] pcm) {
    if (pcm.length % 2 != 0) {
      throw new IllegalArgumentException("16-bit PCM has an even length, got " + pcm.length);
    }
    byte[] encoded = new byte[pcm.length / 2];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = encodeSample((short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8)));
    }
    return encoded;
  }

  /** Returns 16-bit little-endian PCM, two bytes per mu-law byte. */
  public static byte[] decode(byte[] mulaw) {
    byte[] pcm = new byte[mulaw.length * 2];
    for (int i = 0; i < mulaw.length; i++) {
      short sample = DECODED[mulaw[i] & 0xff];
      pcm[2 * i] = (byte) sample;
      pcm[2 * i + 1] = (byte) (sample >> 8);
    }
    return pcm;
  }

  public static byte encodeSample(short sample) {
    int magnitude = sample;
    int sign = 0;
    if (magnitude < 0) {
      magnitude = -magnitude;
      sign = 0x80;
    }
    magnitude = Math.min(magnitude, CLIP) + BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static short decodeSample(byte encoded) {
    int bits = ~encoded & 0xff;
    int exponent = (bits >> 4) & 0x07;
    int mantissa = bits & 0x0f;
    int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    return (short) ((bits & 0x80) != 0 ? -magnitude : magnitude);
  }
}
