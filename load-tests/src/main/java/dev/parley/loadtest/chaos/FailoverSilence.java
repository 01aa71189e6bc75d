package dev.parley.loadtest.chaos;

import java.util.List;
import java.util.OptionalDouble;

import dev.parley.loadtest.robot.CallRecording;
import dev.parley.loadtest.robot.ReceivedFrame;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.SpokenTurn;

/**
 * How long a caller waited for the assistant's voice across a kill. If at the kill the caller was
 * waiting for a reply (its last turn had no audio after it yet) or a reply was playing (audio
 * within the last {@value #PLAYING_MILLIS} ms, and no word that it stopped), the wait starts at the
 * kill; otherwise at the end of
 * the caller's next turn. It ends at the first assistant audio frame after that. So it includes the
 * ordinary turn latency (the assistant's pause before answering), as the caller hears it.
 */
final class FailoverSilence {

  static final long PLAYING_MILLIS = 200;

  private FailoverSilence() {}

  /**
   * For a call whose node was killed while its caller's socket stayed on another node: from the
   * kill to the call saying it is in progress again (its new entity answered), in milliseconds.
   * This is the platform's part of the silence, without the caller's own timing.
   */
  static OptionalDouble backInProgressMillis(List<ReceivedMessage> messages, long killNanos) {
    for (ReceivedMessage message : messages) {
      if (message.atNanos() - killNanos > 0 && message.type().equals("status-update")
          && message.json().path("status").asText().equals("in-progress")) {
        return OptionalDouble.of((message.atNanos() - killNanos) / 1e6);
      }
    }
    return OptionalDouble.empty();
  }

  static OptionalDouble millis(CallRecording recording, long killNanos) {
    return millis(recording.frames(), recording.turns(), recording.messages("speech-update"), killNanos);
  }

  /**
   * The wait in milliseconds; empty when no assistant audio came afterwards (the call ended).
   * {@code speechUpdates}: the caller's speech-update messages (an assistant "stopped" ends a reply).
   */
  static OptionalDouble millis(List<ReceivedFrame> frames, List<SpokenTurn> turns,
      List<ReceivedMessage> speechUpdates, long killNanos) {
    long lastTurnEnd = 0;
    long nextTurnEnd = 0;
    for (SpokenTurn turn : turns) {
      if (!turn.finished()) {
        continue;
      }
      if (turn.lastFrameNanos() - killNanos < 0) {
        lastTurnEnd = turn.lastFrameNanos();
      } else if (nextTurnEnd == 0) {
        nextTurnEnd = turn.lastFrameNanos();
      }
    }
    long lastFrameBefore = 0;
    for (ReceivedFrame frame : frames) {
      if (frame.atNanos() - killNanos < 0) {
        lastFrameBefore = frame.atNanos();
      }
    }
    boolean waiting = lastTurnEnd != 0 && (lastFrameBefore == 0 || lastFrameBefore - lastTurnEnd < 0);
    boolean playing = lastFrameBefore != 0 && killNanos - lastFrameBefore <= PLAYING_MILLIS * 1_000_000
        && !replyStopped(speechUpdates, lastFrameBefore, killNanos);
    long from = waiting || playing ? killNanos : nextTurnEnd;
    if (from == 0) {
      return OptionalDouble.empty();
    }
    for (ReceivedFrame frame : frames) {
      if (frame.atNanos() - from > 0) {
        return OptionalDouble.of((frame.atNanos() - from) / 1e6);
      }
    }
    return OptionalDouble.empty();
  }

  /** The caller was told the assistant stopped speaking between {@code fromNanos} and {@code toNanos}. */
  private static boolean replyStopped(List<ReceivedMessage> speechUpdates, long fromNanos, long toNanos) {
    return speechUpdates.stream().anyMatch(m -> m.atNanos() - fromNanos >= 0 && toNanos - m.atNanos() > 0
        && m.json().path("role").asText().equals("assistant") && m.json().path("status").asText().equals("stopped"));
  }
}
