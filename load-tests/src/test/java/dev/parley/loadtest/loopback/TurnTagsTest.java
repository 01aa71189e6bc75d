package dev.parley.loadtest.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.parley.loadtest.robot.CallerVoice;

/** Turn tags mixed under real (flite) speech are found again, in 20 ms frames; plain speech has none. */
class TurnTagsTest {

  private static final byte[] SPEECH = new CallerVoice("rms").pcm("What is the weather like today?");

  @Test
  void eachTagIsFoundUnderSpeechFedInFramesWithSilenceAround() {
    for (int tag : new int[] {0, 1, 17, 38, 39}) {
      TurnTags.Detector detector = new TurnTags.Detector();
      feedInFrames(detector, new byte[6400]);
      feedInFrames(detector, TurnTags.tagged(SPEECH, tag));
      feedInFrames(detector, new byte[6400]);
      assertEquals(OptionalInt.of(tag), detector.tag(), "tag " + tag);
    }
  }

  @Test
  void plainSpeechAndSilenceHaveNoTagAndResetForgets() {
    TurnTags.Detector detector = new TurnTags.Detector();
    feedInFrames(detector, SPEECH);
    assertEquals(OptionalInt.empty(), detector.tag(), "untagged speech");
    feedInFrames(detector, TurnTags.tagged(SPEECH, 5));
    detector.reset();
    feedInFrames(detector, new byte[32_000]);
    assertEquals(OptionalInt.empty(), detector.tag(), "silence after a reset");
  }

  @Test
  void transcriptsAndRepliesReadBack() {
    assertEquals(OptionalInt.of(12), TurnTags.parse(TurnTags.transcript(12)));
    assertEquals(OptionalInt.of(3), TurnTags.parse("Turn 3."));
    assertEquals(OptionalInt.empty(), TurnTags.parse("hello there"));
    assertEquals("Heard turn 7 after 3 turns.", TurnTags.reply(7, 3));
    assertEquals(Optional.of(new TurnTags.Reply(7, 3)), TurnTags.parseReply("Heard turn 7 after 3 turns."));
    assertEquals(Optional.empty(), TurnTags.parseReply("Sure, I can help with that."));
    assertThrows(IllegalArgumentException.class, () -> TurnTags.tagged(SPEECH, TurnTags.COUNT));
  }

  private static void feedInFrames(TurnTags.Detector detector, byte[] pcm) {
    for (int from = 0; from < pcm.length; from += 640) {
      detector.accept(Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + 640)));
    }
  }
}
