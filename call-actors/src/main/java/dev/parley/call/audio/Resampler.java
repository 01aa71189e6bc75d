package dev.parley.call.audio;

/**
 * Streaming sample-rate conversion of mono 16-bit little-endian PCM by a rational factor
 * (8/16/24/48 kHz and the like): a polyphase windowed-sinc (Kaiser) low-pass filter whose history
 * carries over from chunk to chunk, so chunk boundaries leave no trace. Output lags input by half
 * the filter (24 samples of the lower rate: 1.5 ms at 16 kHz). One per stream; not thread-safe.
 */
public final class Resampler {

  /** Sinc zero crossings on each side of the centre, counted at the lower of the two rates. */
  private static final int ZERO_CROSSINGS = 24;
  /** Pass band edge as a fraction of the lower rate's Nyquist frequency. */
  private static final double CUTOFF = 0.92;
  /** Kaiser window shape: about 80 dB stop-band attenuation. */
  private static final double KAISER_BETA = 8.0;

  private final int up;
  private final int down;
  private final float[][] phases;
  private final int tapsPerPhase;
  private final SampleAssembler assembler = new SampleAssembler();
  /** The last tapsPerPhase - 1 input samples of earlier chunks, oldest first. */
  private final float[] history;
  private long consumed;
  private long nextOutput;

  public Resampler(int fromRate, int toRate) {
    if (fromRate <= 0 || toRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
    }
    int gcd = gcd(fromRate, toRate);
    this.up = toRate / gcd;
    this.down = fromRate / gcd;
    if (up == 1 && down == 1) {
      this.tapsPerPhase = 1;
      this.phases = new float[][] {{1f}};
    } else {
      // at the upsampled rate the lower rate's zero crossings are max(up, down) samples apart
      int spacing = Math.max(up, down);
      this.tapsPerPhase = 2 * ZERO_CROSSINGS * spacing / up + 1;
      this.phases = design(up, tapsPerPhase, CUTOFF / spacing);
    }
    this.history = new float[tapsPerPhase - 1];
  }

  /** Resamples the next chunk (any length, odd included); returns what is ready, possibly nothing. */
  public byte[] process(byte[] chunk) {
    short[] input = assembler.next(chunk);
    if (up == 1 && down == 1) {
      return Samples.toBytes(input);
    }
    int keep = history.length;
    float[] work = new float[keep + input.length];
    System.arraycopy(history, 0, work, 0, keep);
    for (int i = 0; i < input.length; i++) {
      work[keep + i] = input[i];
    }
    long available = consumed + input.length;
    long end = ceilDiv(available * up, down);
    short[] output = new short[(int) Math.max(0, end - nextOutput)];
    int produced = 0;
    for (; nextOutput < end; nextOutput++) {
      long position = nextOutput * down;
      long newest = position / up;
      float[] taps = phases[(int) (position % up)];
      int at = (int) (newest - consumed) + keep;
      double sum = 0;
      for (int k = 0; k < tapsPerPhase; k++) {
        sum += taps[k] * work[at - k];
      }
      output[produced++] = Samples.clamp(sum);
    }
    System.arraycopy(work, work.length - keep, history, 0, keep);
    consumed = available;
    return Samples.toBytes(output, produced);
  }

  /** Phase p holds taps p, p + up, p + 2up... of a low-pass of cutoff {@code cutoff} x Nyquist. */
  private static float[][] design(int up, int tapsPerPhase, double cutoff) {
    int length = up * tapsPerPhase;
    double centre = (length - 1) / 2.0;
    float[][] phases = new float[up][tapsPerPhase];
    double besselBeta = besselI0(KAISER_BETA);
    for (int n = 0; n < length; n++) {
      double t = n - centre;
      double sinc = t == 0 ? cutoff : Math.sin(Math.PI * cutoff * t) / (Math.PI * t);
      double ratio = t / centre;
      double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselBeta;
      // gain "up" makes up for the zeros that upsampling inserts
      phases[n % up][n / up] = (float) (up * sinc * window);
    }
    return phases;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
