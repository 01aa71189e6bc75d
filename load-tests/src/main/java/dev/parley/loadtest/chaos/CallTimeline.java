package dev.parley.loadtest.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.parley.loadtest.robot.CallRecording;
import dev.parley.loadtest.robot.ReceivedFrame;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.SocketReconnect;
import dev.parley.loadtest.robot.SpokenTurn;

/**
 * What one caller said and heard around a kill, in seconds from it: its turns, the assistant's
 * utterances and the messages that tell the turn-taking (transcripts, speech and status updates).
 * For the report's longest silences: it shows where the wait went.
 */
final class CallTimeline {

  private static final long BEFORE_NANOS = 8_000_000_000L;
  private static final long AFTER_NANOS = 30_000_000_000L;
  /** Assistant frames further apart than this belong to different utterances. */
  private static final long UTTERANCE_GAP_NANOS = 200_000_000L;

  private record Entry(long atNanos, String text) {}

  private CallTimeline() {}

  static String around(CallRecording recording, long killNanos) {
    long from = killNanos - BEFORE_NANOS;
    long to = killNanos + AFTER_NANOS;
    List<Entry> entries = new ArrayList<>();
    for (SpokenTurn turn : recording.turns()) {
      if (turn.started() && turn.firstFrameNanos() - to < 0 && (!turn.finished() || turn.lastFrameNanos() - from > 0)) {
        entries.add(new Entry(turn.firstFrameNanos(), "caller turn " + turn.index() + " until "
            + (turn.finished() ? seconds(turn.lastFrameNanos(), killNanos) : "-")));
      }
    }
    long start = 0;
    long last = 0;
    for (ReceivedFrame frame : recording.frames()) {
      if (frame.atNanos() - from < 0 || frame.atNanos() - to > 0) {
        continue;
      }
      if (start != 0 && frame.atNanos() - last > UTTERANCE_GAP_NANOS) {
        entries.add(new Entry(start, "assistant audio until " + seconds(last, killNanos)));
        start = 0;
      }
      if (start == 0) {
        start = frame.atNanos();
      }
      last = frame.atNanos();
    }
    if (start != 0) {
      entries.add(new Entry(start, "assistant audio until " + seconds(last, killNanos)));
    }
    for (ReceivedMessage message : recording.messages()) {
      boolean telling = message.type().equals("speech-update") || message.type().equals("status-update")
          || message.type().equals("transcript") && message.json().path("transcriptType").asText().equals("final");
      if (telling && message.atNanos() - from > 0 && message.atNanos() - to < 0) {
        entries.add(new Entry(message.atNanos(), message.brief()));
      }
    }
    Long socketOpened = null; // the first socket: from the call's start
    boolean open = true;
    for (SocketReconnect r : recording.reconnects()) {
      entries.add(new Entry(r.brokeNanos(), "socket broke (" + received(recording, socketOpened, r.brokeNanos())
          + "); " + r.outcome() + (r.reopened() ? " at " + seconds(r.reopenedNanos(), killNanos) : "")));
      open = r.reopened();
      socketOpened = r.reopenedNanos();
    }
    entries.removeIf(e -> e.atNanos() - from < 0 || e.atNanos() - to > 0);
    entries.sort(Comparator.comparingLong(Entry::atNanos));
    List<String> lines = new ArrayList<>(entries.stream().map(e -> seconds(e.atNanos(), killNanos) + " " + e.text())
        .toList());
    if (!recording.reconnects().isEmpty() && open) {
      lines.add("the last socket: " + received(recording, socketOpened, null));
    }
    return String.join("; ", lines);
  }

  /** What one socket brought, to hold against what the call sent it (the nodes log that). */
  private static String received(CallRecording recording, Long openedNanos, Long closedNanos) {
    java.util.function.LongPredicate on = at -> (openedNanos == null || at - openedNanos >= 0)
        && (closedNanos == null || at - closedNanos <= 0);
    long messages = recording.messages().stream().filter(m -> on.test(m.atNanos())).count();
    long frames = recording.frames().stream().filter(f -> on.test(f.atNanos())).count();
    return "it got " + messages + " messages and " + frames + " audio frames";
  }

  private static String seconds(long nanos, long killNanos) {
    return String.format("%+.2f", (nanos - killNanos) / 1e9);
  }
}
