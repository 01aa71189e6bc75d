package dev.parley.call.audio;

/**
 * Audio inside the platform: mono signed 16-bit little-endian PCM at 16 kHz. Transports convert
 * to and from it at the edge; providers take and give only this.
 */
public final class Pcm16 {

  public static final int SAMPLE_RATE = 16_000;
  public static final int BYTES_PER_SAMPLE = 2;
  public static final int BYTES_PER_MS = SAMPLE_RATE * BYTES_PER_SAMPLE / 1000;
  /** The pacing unit of assistant audio: 20 ms. */
  public static final int FRAME_MS = 20;
  public static final int FRAME_BYTES = FRAME_MS * BYTES_PER_MS;

  private Pcm16() {}

  public static long millisOf(long bytes) {
    return bytes / BYTES_PER_MS;
  }
}
