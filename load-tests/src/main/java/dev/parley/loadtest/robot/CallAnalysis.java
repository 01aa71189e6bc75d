package dev.parley.loadtest.robot;

import java.util.ArrayList;
import java.util.List;

/** What a call's recording means: assistant utterances and per-turn latencies. Pure functions. */
public final class CallAnalysis {

  /** A gap longer than this between assistant frames starts a new utterance. */
  public static final long UTTERANCE_GAP_NANOS = 300_000_000L;

  private CallAnalysis() {}

  /**
   * Splits the assistant audio into utterances. When the server sent speech-updates for the
   * assistant, each one that arrived since the previous frame starts a new utterance (the server
   * knows, and a stall in delivery is not a new utterance); without them, a gap of more than
   * {@code gapNanos} does.
   */
  public static List<Utterance> utterances(List<ReceivedFrame> frames, List<ReceivedMessage> messages, long gapNanos) {
    List<Long> boundaries = new ArrayList<>();
    for (ReceivedMessage message : messages) {
      if (message.type().equals("speech-update") && message.json().path("role").asText().equals("assistant")) {
        boundaries.add(message.atNanos());
      }
    }
    List<Utterance> utterances = new ArrayList<>();
    List<ReceivedFrame> current = new ArrayList<>();
    int nextBoundary = 0;
    for (ReceivedFrame frame : frames) {
      boolean split = false;
      while (nextBoundary < boundaries.size() && boundaries.get(nextBoundary) <= frame.atNanos()) {
        split |= !current.isEmpty() && boundaries.get(nextBoundary) >= current.get(current.size() - 1).atNanos();
        nextBoundary++;
      }
      boolean gap = boundaries.isEmpty() && !current.isEmpty()
          && frame.atNanos() - current.get(current.size() - 1).atNanos() > gapNanos;
      if (split || gap) {
        utterances.add(new Utterance(current));
        current = new ArrayList<>();
      }
      current.add(frame);
    }
    if (!current.isEmpty()) {
      utterances.add(new Utterance(current));
    }
    return utterances;
  }

  /** Each finished turn with the first assistant frame received after its last speech frame. */
  public static List<TurnTiming> turnTimings(List<SpokenTurn> turns, List<ReceivedFrame> frames) {
    List<TurnTiming> timings = new ArrayList<>();
    for (SpokenTurn turn : turns) {
      if (turn.finished()) {
        timings.add(new TurnTiming(turn, firstFrameAfter(frames, turn.lastFrameNanos())));
      }
    }
    return timings;
  }

  /** The arrival time of the first frame strictly after {@code nanos}, or 0. Frames are in arrival order. */
  public static long firstFrameAfter(List<ReceivedFrame> frames, long nanos) {
    int low = 0;
    int high = frames.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (frames.get(mid).atNanos() - nanos > 0) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low < frames.size() ? frames.get(low).atNanos() : 0;
  }
}
