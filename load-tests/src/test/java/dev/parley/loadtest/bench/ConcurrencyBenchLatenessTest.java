package dev.parley.loadtest.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.parley.loadtest.robot.ReceivedFrame;

/** Jitter as the concurrency benchmark counts it: lateness against the utterance's 20 ms clock. */
class ConcurrencyBenchLatenessTest {

  @Test
  void framesOnTheClockAfterTheLookaheadBurstAreNotLateWhateverTheirPhase() {
    // three at once (lookahead 3), then every 20 ms, the first of them only 8 ms after the burst
    List<ReceivedFrame> frames = frames(100, 100, 100, 108, 128, 148);

    assertArrayEquals(new double[] {0, 0, 0}, ConcurrencyBench.lateness(frames, 3), 1e-9);
  }

  @Test
  void aStalledFrameIsLateAndSoAreTheFramesCatchingUpBehindIt() {
    List<ReceivedFrame> frames = frames(0, 0, 0, 20, 40, 95, 95, 100, 120);

    assertArrayEquals(new double[] {0, 0, 35, 15, 0, 0}, ConcurrencyBench.lateness(frames, 3), 1e-9);
  }

  @Test
  void anUtteranceNoLongerThanItsBurstHasNoPacedFrames() {
    assertArrayEquals(new double[] {}, ConcurrencyBench.lateness(frames(0, 0, 0), 3), 1e-9);
  }

  private static List<ReceivedFrame> frames(long... millis) {
    return LongStream.of(millis).mapToObj(ms -> new ReceivedFrame(ms * 1_000_000, 640, null)).toList();
  }
}
