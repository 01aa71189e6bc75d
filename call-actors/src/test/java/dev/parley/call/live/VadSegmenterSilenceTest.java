package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

import dev.parley.call.provider.VoiceActivityDetector;
import dev.parley.call.providers.SpeechFixtures;

/** Near-silent audio and the line's own noise never reach the voice model; a voice always does. */
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

  /** A line's hiss is learned from the frames the model heard no voice in, then kept from the model. */
  @Test
  void lineNoiseIsLearnedThenKeptFromTheModel() {
    AtomicInteger asked = new AtomicInteger();
    VoiceActivityDetector loudness = countingLoudness(asked);
    try (VadSegmenter segmenter = new VadSegmenter(loudness, 2, 256, 192)) {
      List<VadEvent> hiss = feed(segmenter, noise(50 * 512, 100, 1));
      assertEquals(List.of(), hiss);
      assertEquals(1, asked.get(), "only the first frame of hiss (peak well above 64) is asked about");

      List<VadEvent> voice = feed(segmenter, pcm(5 * 512, 3000));
      assertEquals(6, asked.get());
      assertTrue(voice.get(0) instanceof VadEvent.SpeechStarted, voice.toString());
    }
  }

  /** A caller who speaks from the first frame teaches the gate nothing: every voiced frame is asked about. */
  @Test
  void speechFromTheFirstFrameIsNeverTakenForTheLine() {
    AtomicInteger asked = new AtomicInteger();
    try (VadSegmenter segmenter = new VadSegmenter(countingLoudness(asked), 2, 96, 0)) {
      List<VadEvent> first = feed(segmenter, pcm(40 * 512, 3000));
      assertEquals(40, asked.get());
      List<VadEvent> pause = feed(segmenter, noise(20 * 512, 100, 2));
      int askedInPause = asked.get() - 40;
      List<VadEvent> second = feed(segmenter, pcm(40 * 512, 3000));

      assertEquals(1, first.stream().filter(VadEvent.SpeechStarted.class::isInstance).count(), first::toString);
      assertEquals(1, pause.stream().filter(VadEvent.SpeechEnded.class::isInstance).count(), pause::toString);
      assertEquals(1, second.stream().filter(VadEvent.SpeechStarted.class::isInstance).count(), second::toString);
      assertEquals(40, asked.get() - 40 - askedInPause, "every frame of the second sentence is asked about");
    }
  }

  /** Louder noise (4x, 12 dB) is asked about until the gate has followed it up. */
  @Test
  void louderLineNoiseIsFollowed() {
    AtomicInteger asked = new AtomicInteger();
    try (VadSegmenter segmenter = new VadSegmenter(countingLoudness(asked), 2, 256, 192)) {
      feed(segmenter, noise(30 * 512, 100, 3));
      int beforeRise = asked.get();
      feed(segmenter, noise(60 * 512, 400, 4));
      int whileFollowing = asked.get() - beforeRise;
      feed(segmenter, noise(30 * 512, 400, 5));
      int afterwards = asked.get() - beforeRise - whileFollowing;

      assertTrue(whileFollowing > 0 && whileFollowing < 60, "asked " + whileFollowing + " of 60 frames");
      assertEquals(0, afterwards);
    }
  }

  /** A detector that hears voice in loud frames (mean amplitude over 1000), counting each question. */
  private static VoiceActivityDetector countingLoudness(AtomicInteger asked) {
    return TestProviders.detector(frame -> {
      asked.incrementAndGet();
      long sum = 0;
      for (short sample : frame) {
        sum += Math.abs(sample);
      }
      return sum / frame.length > 1000 ? 0.95 : 0.02;
    });
  }

  /** Feeds audio in 20 ms chunks on a 20 ms clock, as a transport delivers it. */
  private static List<VadEvent> feed(VadSegmenter segmenter, ByteString pcm) {
    List<VadEvent> events = new java.util.ArrayList<>();
    for (int at = 0; at + 640 <= pcm.size(); at += 640) {
      clock += 20_000_000L;
      events.addAll(segmenter.accept(pcm.slice(at, at + 640), clock));
    }
    return events;
  }

  private static long clock = 1_000_000_000L;

  private static ByteString noise(int samples, double deviation, long seed) {
    return ByteString.fromArrayUnsafe(SpeechFixtures.whiteNoise(samples * 1000 / 16000, deviation, seed));
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
