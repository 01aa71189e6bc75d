package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

import dev.parley.call.provider.VoiceActivityDetector;

/** Near-silent audio never reaches the voice model; anything louder always does. */
class VadSegmenterSilenceTest {

  @Test
  void silentFramesSkipTheModelAndLoudFramesReachIt() {
    AtomicInteger asked = new AtomicInteger();
    VoiceActivityDetector counting = TestProviders.detector(frame -> {
      asked.incrementAndGet();
      return 0.9;
    });
    try (VadSegmenter segmenter = new VadSegmenter(counting, 2, 256, 192)) {
      List<VadEvent> quiet = segmenter.accept(pcm(10 * 512, 40), System.nanoTime());
      assertEquals(List.of(), quiet);
      assertEquals(0, asked.get(), "digital silence and -58 dBFS hiss are not asked about");
      List<VadEvent> loud = segmenter.accept(pcm(3 * 512, 3000), System.nanoTime());
      assertEquals(3, asked.get());
      assertTrue(loud.get(0) instanceof VadEvent.SpeechStarted, loud.toString());
    }
  }

  @Test
  void speechEndsAtTheLastLoudSampleOfTheLastVoicedFrameNotAtTheFrameEnd() {
    // voiced while loud (the model is asked only then), so the quiet tail of a frame decides
    VoiceActivityDetector loudness = TestProviders.detector(frame -> 0.9);
    try (VadSegmenter segmenter = new VadSegmenter(loudness, 2, 64, 0)) {
      long start = 1_000_000_000L;
      segmenter.accept(pcm(2 * 512, 3000), start);
      // a frame whose last 192 samples (12 ms at 16 kHz) are digital silence, then silence
      ByteString lastVoiced = pcm(320, 3000).concat(ByteString.fromArrayUnsafe(new byte[192 * 2]));
      segmenter.accept(lastVoiced, start + 32_000_000L);
      List<VadEvent> ended = segmenter.accept(pcm(2 * 512, 0), start + 96_000_000L);

      assertEquals(List.of(new VadEvent.SpeechEnded(start + 32_000_000L - 12_000_000L)),
          ended.stream().filter(VadEvent.SpeechEnded.class::isInstance).toList());
    }
  }

  /** A square wave of the given peak. */
  private static ByteString pcm(int samples, int peak) {
    byte[] bytes = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      short value = (short) ((i / 8) % 2 == 0 ? peak : -peak);
      bytes[2 * i] = (byte) value;
      bytes[2 * i + 1] = (byte) (value >> 8);
    }
    return ByteString.fromArrayUnsafe(bytes);
  }
}
