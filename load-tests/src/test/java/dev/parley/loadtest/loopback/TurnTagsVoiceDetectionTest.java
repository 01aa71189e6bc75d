package dev.parley.loadtest.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.call.provider.VoiceActivityDetector;
import dev.parley.call.providers.silero.SileroVad;
import dev.parley.loadtest.robot.CallerVoice;

/**
 * A tagged turn must stay one utterance to the platform's voice detector, or a benchmark that speaks
 * it measures the tag: tones near 8 kHz (the top of 16 kHz audio) made Silero miss or split the
 * speech under them, and the chaos run's callers waited 20 s for replies to turns nobody heard.
 */
class TurnTagsVoiceDetectionTest {

  private static final float START = 0.5f;
  private static final float END = 0.35f;
  private static final int START_FRAMES = 2;
  private static final int HANGOVER_FRAMES = 6;

  private static ActorSystem<Void> system;
  private static VoiceActivityDetector vad;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "turn-tags-vad");
    vad = SileroVad.create(system);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void everyTaggedTurnIsOneUtteranceToTheVoiceDetector() {
    byte[] speech = new CallerVoice().pcm("Tell me more about that please");
    assertEquals(1, utterances(speech), "the sentence itself");
    Map<Integer, Integer> notOne = new LinkedHashMap<>();
    for (int tag = 0; tag < TurnTags.COUNT; tag++) {
      int found = utterances(TurnTags.tagged(speech, tag));
      if (found != 1) {
        notOne.put(tag, found);
      }
    }
    assertEquals(Map.of(), notOne, "tags heard as other than one utterance (tag=utterances)");
  }

  /** Utterances as the platform's segmenter finds them (start after 2 voiced frames, end after 192 ms). */
  private static int utterances(byte[] pcm16k) {
    int frameSamples = vad.frameSamples();
    short[] all = new short[pcm16k.length / 2];
    ByteBuffer.wrap(pcm16k).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(all);
    int count = 0;
    boolean speaking = false;
    int voiced = 0;
    int silent = 0;
    try (VoiceActivityDetector.Session session = vad.open()) {
      // quiet before and after, as between a caller's turns
      short[] padded = new short[all.length + 2 * 16_000];
      System.arraycopy(all, 0, padded, 16_000, all.length);
      for (int at = 0; at + frameSamples <= padded.length; at += frameSamples) {
        short[] frame = java.util.Arrays.copyOfRange(padded, at, at + frameSamples);
        float p = session.speechProbability(frame);
        if (!speaking) {
          voiced = p >= START ? voiced + 1 : 0;
          if (voiced >= START_FRAMES) {
            speaking = true;
            silent = 0;
            count++;
          }
        } else if (p < END) {
          if (++silent >= HANGOVER_FRAMES) {
            speaking = false;
            voiced = 0;
          }
        } else {
          silent = 0;
        }
      }
    }
    return count;
  }
}
