package dev.parley.call.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

class ResamplerTest {

  private static final int[] ODD_CHUNKS = {1, 333, 7, 1001, 64, 3};

  @Test
  void downFrom48kKeepsTheFrequencyAndLength() {
    checkSine(48_000, 16_000, 1000);
  }

  @Test
  void upFrom8kKeepsTheFrequencyAndLength() {
    checkSine(8_000, 16_000, 440);
  }

  @Test
  void otherRatesToo() {
    checkSine(24_000, 16_000, 700);
    checkSine(16_000, 8_000, 300);
    checkSine(16_000, 48_000, 2500);
  }

  @Test
  void removesWhatTheLowerRateCannotCarry() {
    // 12 kHz is above 16 kHz's Nyquist frequency: it must not fold back as a 4 kHz tone
    byte[] out = new Resampler(48_000, 16_000).process(sine(48_000, 12_000, 48_000));
    assertTrue(rms(Samples.fromBytes(out), 100) < 0.001 * AMPLITUDE, "aliased energy " + rms(Samples.fromBytes(out), 100));
  }

  @Test
  void sameRateIsACopy() {
    byte[] in = sine(16_000, 440, 1600);
    assertArrayEquals(in, feedInChunks(new Resampler(16_000, 16_000), in));
  }

  private static final double AMPLITUDE = 10_000;

  private static void checkSine(int from, int to, int frequency) {
    byte[] in = sine(from, frequency, from); // one second
    byte[] streamed = feedInChunks(new Resampler(from, to), in);
    byte[] whole = new Resampler(from, to).process(in);

    // chunking changes nothing: no clicks or gaps at boundaries
    assertArrayEquals(whole, streamed);
    assertEquals(to * 2, streamed.length, "one second at " + to + " Hz");

    short[] samples = Samples.fromBytes(streamed);
    int skip = to / 100; // past the filter's start-up
    int crossings = 0;
    for (int i = skip + 1; i < samples.length; i++) {
      if ((samples[i - 1] < 0) != (samples[i] < 0)) {
        crossings++;
      }
    }
    double seconds = (samples.length - skip - 1) / (double) to;
    assertEquals(2 * frequency * seconds, crossings, 2, from + " -> " + to + ": zero crossings");
    assertEquals(AMPLITUDE / Math.sqrt(2), rms(samples, skip), AMPLITUDE * 0.02, "level kept");
    double maxStep = 2 * Math.PI * frequency * AMPLITUDE / to;
    for (int i = skip + 1; i < samples.length; i++) {
      assertTrue(Math.abs(samples[i] - samples[i - 1]) <= maxStep * 1.05 + 2, "jump at " + i);
    }
  }

  private static byte[] feedInChunks(Resampler resampler, byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    for (int i = 0; at < in.length; i++) {
      int size = Math.min(ODD_CHUNKS[i % ODD_CHUNKS.length], in.length - at);
      byte[] chunk = new byte[size];
      System.arraycopy(in, at, chunk, 0, size);
      out.writeBytes(resampler.process(chunk));
      at += size;
    }
    return out.toByteArray();
  }

  private static byte[] sine(int rate, int frequency, int count) {
    short[] samples = new short[count];
    for (int i = 0; i < count; i++) {
      samples[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
    }
    return Samples.toBytes(samples);
  }

  private static double rms(short[] samples, int skip) {
    double sum = 0;
    for (int i = skip; i < samples.length; i++) {
      sum += (double) samples[i] * samples[i];
    }
    return Math.sqrt(sum / (samples.length - skip));
  }
}
