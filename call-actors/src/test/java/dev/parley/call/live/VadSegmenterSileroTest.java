package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.VoiceActivityDetector;
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

  /**
   * On a line with hiss (white noise, RMS 60, about -55 dBFS, peaks well above the digital-silence
   * peak) each sentence is still one segment, where it was spoken, and the model is spared most of
   * the hiss between sentences.
   */
  @Test
  void onANoisyLineSentencesAreStillOneSegmentEachAndTheHissIsNotAskedAbout() throws Exception {
    int pauseMs = 800;
    ByteString call = ByteString.fromArray(SpeechFixtures.silence(500));
    List<long[]> spoken = new ArrayList<>();
    for (String sentence : SpeechFixtures.SENTENCES) {
      byte[] speech = SpeechFixtures.speak(tts, testKit.system(), sentence, "kal16");
      long from = Pcm16.millisOf(call.size());
      spoken.add(new long[] {from, from + Pcm16.millisOf(speech.length)});
      call = call.concat(ByteString.fromArray(speech)).concat(ByteString.fromArray(SpeechFixtures.silence(pauseMs)));
    }
    byte[] noisy = mix(call.toArray(), SpeechFixtures.whiteNoise((int) Pcm16.millisOf(call.size()), 60, 7));
    AtomicInteger asked = new AtomicInteger();
    VoiceActivityDetector counted = new VoiceActivityDetector() {
      @Override
      public int frameSamples() {
        return vad.frameSamples();
      }

      @Override
      public Session open() {
        Session session = vad.open();
        return new Session() {
          @Override
          public float speechProbability(short[] frame) {
            asked.incrementAndGet();
            return session.speechProbability(frame);
          }

          @Override
          public void close() {
            session.close();
          }
        };
      }
    };

    List<VadEvent> marks = segment(ByteString.fromArrayUnsafe(noisy), counted).stream()
        .filter(e -> !(e instanceof VadEvent.Speech)).toList();

    assertEquals(2 * spoken.size(), marks.size(), marks::toString);
    long voicedMs = 0;
    for (int i = 0; i < spoken.size(); i++) {
      long started = assertInstanceOf(VadEvent.SpeechStarted.class, marks.get(2 * i)).atNanos() / MS;
      long lastVoice = assertInstanceOf(VadEvent.SpeechEnded.class, marks.get(2 * i + 1)).lastVoiceNanos() / MS;
      long[] span = spoken.get(i);
      assertTrue(started >= span[0] && started < span[0] + 400, "sentence " + i + " started at " + started
          + " ms, spoken " + span[0] + "-" + span[1]);
      assertTrue(lastVoice > span[1] - 400 && lastVoice <= span[1] + 300, "sentence " + i + " last voice at "
          + lastVoice + " ms, spoken " + span[0] + "-" + span[1]);
      voicedMs += span[1] - span[0];
    }
    // every frame of speech and its hangover is asked about; of the hiss around it, few
    long frames = Pcm16.millisOf(noisy.length) / 32;
    long speechFrames = (voicedMs + spoken.size() * 400L) / 32;
    assertTrue(asked.get() < speechFrames + (frames - speechFrames) / 5, "asked about " + asked.get() + " of "
        + frames + " frames, of which about " + speechFrames + " are speech and its hangover");
  }

  /** Sample-wise sum, clipped. */
  private static byte[] mix(byte[] a, byte[] b) {
    short[] x = SpeechFixtures.samples(a);
    short[] y = SpeechFixtures.samples(b);
    short[] sum = new short[Math.min(x.length, y.length)];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, x[i] + y[i]));
    }
    return dev.parley.call.audio.Samples.toBytes(sum);
  }

  /** Feeds the call in 20 ms chunks, as a transport delivers it, at its own clock. */
  private static List<VadEvent> segment(ByteString call) {
    return segment(call, vad);
  }

  private static List<VadEvent> segment(ByteString call, VoiceActivityDetector detector) {
    List<VadEvent> events = new ArrayList<>();
    try (VadSegmenter segmenter = new VadSegmenter(detector, 2, 256, 192)) {
      for (int at = 0; at + Pcm16.FRAME_BYTES <= call.size(); at += Pcm16.FRAME_BYTES) {
        long arrivedNanos = Pcm16.millisOf(at + Pcm16.FRAME_BYTES) * MS;
        events.addAll(segmenter.accept(call.slice(at, at + Pcm16.FRAME_BYTES), arrivedNanos));
      }
    }
    return events;
  }
}
