package dev.parley.loadtest.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.parley.loadtest.robot.ReceivedFrame;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.SpokenTurn;

/** The silence a caller heard across a kill, from its turns and the assistant frames it received. */
class FailoverSilenceTest {

  private static final long MS = 1_000_000;

  @Test
  void aCallIsBackAtTheFirstInProgressAfterTheKill() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<ReceivedMessage> messages = List.of(
        new ReceivedMessage(1_000 * MS, json.readTree("{\"type\":\"status-update\",\"status\":\"in-progress\"}")),
        new ReceivedMessage(4_000 * MS, json.readTree("{\"type\":\"transcript\",\"role\":\"user\"}")),
        new ReceivedMessage(6_500 * MS, json.readTree("{\"type\":\"status-update\",\"status\":\"in-progress\"}")));

    assertEquals(OptionalDouble.of(4_500), FailoverSilence.backInProgressMillis(messages, 2_000 * MS));
    assertEquals(OptionalDouble.empty(), FailoverSilence.backInProgressMillis(messages, 7_000 * MS));
  }

  @Test
  void aCallerWaitingForAReplyWaitsFromTheKill() {
    List<SpokenTurn> turns = List.of(turn(0, 1_000, 2_000));
    List<ReceivedFrame> frames = frames(500, 5_000);

    assertEquals(OptionalDouble.of(2_500), FailoverSilence.millis(frames, turns, List.of(), 2_500 * MS));
  }

  @Test
  void aReplyCutOffWhilePlayingCountsFromTheKill() {
    List<SpokenTurn> turns = List.of(turn(0, 1_000, 2_000));
    List<ReceivedFrame> frames = frames(2_400, 2_420, 2_440, 9_000);

    assertEquals(OptionalDouble.of(6_500), FailoverSilence.millis(frames, turns, List.of(), 2_500 * MS));
  }

  @Test
  void aReplyThatEndedJustBeforeTheKillIsNotCutOffByIt() throws Exception {
    List<SpokenTurn> turns = List.of(turn(0, 1_000, 2_000), turn(1, 4_000, 6_000));
    List<ReceivedFrame> frames = frames(2_400, 2_420, 2_440, 6_300);
    List<ReceivedMessage> updates = List.of(new ReceivedMessage(2_450 * MS, new com.fasterxml.jackson.databind
        .ObjectMapper().readTree("{\"type\":\"speech-update\",\"status\":\"stopped\",\"role\":\"assistant\"}")));

    assertEquals(OptionalDouble.of(300), FailoverSilence.millis(frames, turns, updates, 2_500 * MS),
        "from the end of the caller's next turn");
    assertEquals(OptionalDouble.of(3_800), FailoverSilence.millis(frames, turns, List.of(), 2_500 * MS),
        "without the stop it counts as cut off");
  }

  @Test
  void anIdleCallerWaitsFromTheEndOfItsNextTurn() {
    List<SpokenTurn> turns = List.of(turn(0, 1_000, 2_000), turn(1, 6_000, 7_000));
    List<ReceivedFrame> frames = frames(2_500, 2_520, 7_600);

    assertEquals(OptionalDouble.of(600), FailoverSilence.millis(frames, turns, List.of(), 4_000 * MS));
  }

  @Test
  void noAudioAfterwardsMeasuresNothing() {
    List<SpokenTurn> turns = List.of(turn(0, 1_000, 2_000));

    assertEquals(OptionalDouble.empty(), FailoverSilence.millis(frames(2_500), turns, List.of(), 4_000 * MS));
  }

  private static SpokenTurn turn(int index, long firstMillis, long lastMillis) {
    return new SpokenTurn(index, 50, firstMillis * MS, lastMillis * MS);
  }

  private static List<ReceivedFrame> frames(long... millis) {
    List<ReceivedFrame> frames = new ArrayList<>();
    for (long at : millis) {
      frames.add(new ReceivedFrame(at * MS, 640, null));
    }
    return frames;
  }
}
