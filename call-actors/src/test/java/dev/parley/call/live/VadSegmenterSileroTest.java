package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.providers.SpeechFixtures;
import dev.parley.call.providers.flite.FliteTextToSpeech;
import dev.parley.call.providers.silero.SileroVad;

/** The real segmenter with the real detector: one speech segment per spoken sentence. */
class VadSegmenterSileroTest {

  private static final long MS = 1_000_000L;
  private static ActorTestKit testKit;
  private static SileroVad vad;
  private static FliteTextToSpeech tts;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    vad = SileroVad.create(testKit.system());
    tts = FliteTextToSpeech.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void sentencesSeparatedBy800msOfSilenceAreOneSegmentEach() throws Exception {
    for (String voice : new String[] {"rms", "kal16"}) {
      ByteString call = ByteString.fromArray(SpeechFixtures.silence(500));
      List<long[]> spoken = new ArrayList<>();
      for (String sentence : SpeechFixtures.SENTENCES) {
        byte[] speech = SpeechFixtures.speak(tts, testKit.system(), sentence, voice);
        long from = Pcm16.millisOf(call.size());
        spoken.add(new long[] {from, from + Pcm16.millisOf(speech.length)});
        call = call.concat(ByteString.fromArray(speech)).concat(ByteString.fromArray(SpeechFixtures.silence(800)));
      }
      List<VadEvent> events = segment(call);
      List<VadEvent> marks = events.stream().filter(e -> !(e instanceof VadEvent.Speech)).toList();
      assertEquals(2 * spoken.size(), marks.size(), voice + ": " + marks);
      for (int i = 0; i < spoken.size(); i++) {
        long started = assertInstanceOf(VadEvent.SpeechStarted.class, marks.get(2 * i)).atNanos() / MS;
        long lastVoice = assertInstanceOf(VadEvent.SpeechEnded.class, marks.get(2 * i + 1)).lastVoiceNanos() / MS;
        long[] span = spoken.get(i);
        // flite pads each sentence with a little silence; the detector finds the voice inside
        assertTrue(started >= span[0] && started < span[0] + 400, voice + " sentence " + i + " started at "
            + started + " ms, spoken " + span[0] + "-" + span[1]);
        assertTrue(lastVoice > span[1] - 400 && lastVoice <= span[1] + 100, voice + " sentence " + i
            + " last voice at " + lastVoice + " ms, spoken " + span[0] + "-" + span[1]);
      }
    }
  }

  /** Feeds the call in 20 ms chunks, as a transport delivers it, at its own clock. */
  private static List<VadEvent> segment(ByteString call) {
    List<VadEvent> events = new ArrayList<>();
    try (VadSegmenter segmenter = new VadSegmenter(vad, 2, 256, 192)) {
      for (int at = 0; at + Pcm16.FRAME_BYTES <= call.size(); at += Pcm16.FRAME_BYTES) {
        long arrivedNanos = Pcm16.millisOf(at + Pcm16.FRAME_BYTES) * MS;
        events.addAll(segmenter.accept(call.slice(at, at + Pcm16.FRAME_BYTES), arrivedNanos));
      }
    }
    return events;
  }
}
