package dev.parley.loadtest.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Utterances and turn timings computed from recorded times (milliseconds here, as nanoseconds). */
class RobotAnalysisTest {

  private static final long MS = 1_000_000;

  @Test
  void withoutSpeechUpdatesAGapOfMoreThan300MillisecondsStartsANewUtterance() {
    // 40 -> 340 is exactly 300 ms: still the same utterance; 360 -> 700 is not
    List<ReceivedFrame> frames = frames(0, 20, 40, 340, 360, 700);

    List<Utterance> utterances = CallAnalysis.utterances(frames, List.of(), CallAnalysis.UTTERANCE_GAP_NANOS);

    assertEquals(List.of(5, 1), utterances.stream().map(Utterance::frameCount).toList());
    assertEquals(700 * MS, utterances.get(1).firstFrameNanos());
  }

  @Test
  void withSpeechUpdatesEachAssistantUpdateBetweenFramesStartsANewUtteranceAndGapsDoNot() {
    List<ReceivedFrame> frames = frames(0, 20, 40, 60, 80, 900, 920);
    List<ReceivedMessage> messages = List.of(speechUpdate(-5, "assistant"), speechUpdate(10, "user"),
        speechUpdate(50, "assistant"));

    List<Utterance> utterances = CallAnalysis.utterances(frames, messages, CallAnalysis.UTTERANCE_GAP_NANOS);

    assertEquals(List.of(3, 4), utterances.stream().map(Utterance::frameCount).toList());
  }

  @Test
  void voiceToVoiceIsFromTheTurnsLastFrameToTheNextAssistantFrame() {
    List<SpokenTurn> turns = List.of(
        new SpokenTurn(0, 10, 800 * MS, 1_000 * MS),
        new SpokenTurn(1, 10, 2_000 * MS, 2_200 * MS),
        new SpokenTurn(2, 10, 2_300 * MS, 0));
    List<ReceivedFrame> frames = frames(900, 1_000, 1_250, 1_270);

    List<TurnTiming> timings = CallAnalysis.turnTimings(turns, frames);

    assertEquals(2, timings.size());
    assertEquals(250.0, timings.get(0).voiceToVoiceMillis().orElseThrow(), 1e-9);
    assertFalse(timings.get(1).answered());
    assertEquals(0, CallAnalysis.firstFrameAfter(frames, 1_270 * MS));
    assertEquals(900 * MS, CallAnalysis.firstFrameAfter(frames, 0));
  }

  private static List<ReceivedFrame> frames(long... millis) {
    return LongStream.of(millis).mapToObj(ms -> new ReceivedFrame(ms * MS, 640, null)).toList();
  }

  private static ReceivedMessage speechUpdate(long millis, String role) {
    return new ReceivedMessage(millis * MS, JsonNodeFactory.instance.objectNode()
        .put("type", "speech-update").put("status", "started").put("role", role));
  }
}
