package dev.parley.call.providers.silero;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import dev.parley.call.provider.VoiceActivityDetector;
import dev.parley.call.providers.SpeechFixtures;
import dev.parley.call.providers.flite.FliteTextToSpeech;

class SileroVadTest {

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

  private static float[] probabilities(VoiceActivityDetector.Session session, byte[] pcm) {
    List<short[]> frames = SpeechFixtures.frames(pcm, vad.frameSamples());
    float[] probabilities = new float[frames.size()];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = session.speechProbability(frames.get(i));
    }
    return probabilities;
  }

  private static float[] fresh(byte[] pcm) {
    try (VoiceActivityDetector.Session session = vad.open()) {
      return probabilities(session, pcm);
    }
  }

  private static float max(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  @Test
  void framesAre512SamplesAt16kHz() {
    assertEquals(512, vad.frameSamples());
    try (VoiceActivityDetector.Session session = vad.open()) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> session.speechProbability(new short[480]));
      assertEquals("Silero takes frames of 512 samples, not 480", error.getMessage());
    }
  }

  @Test
  void mostFramesOfFliteSpeechAreSpeech() throws Exception {
    for (String voice : new String[] {"rms", "slt", "kal16", "awb"}) {
      for (String sentence : SpeechFixtures.SENTENCES) {
        float[] probabilities = fresh(SpeechFixtures.speak(tts, testKit.system(), sentence, voice));
        int voiced = 0;
        for (float p : probabilities) {
          voiced += p > 0.5f ? 1 : 0;
        }
        double share = (double) voiced / probabilities.length;
        System.out.printf("silero %s: %.0f%% of frames speech in '%s'%n", voice, share * 100, sentence);
        assertTrue(share > 0.6, voice + ": " + voiced + " of " + probabilities.length + " frames of '" + sentence + "'");
      }
    }
  }

  @Test
  void digitalSilenceIsNotSpeech() {
    float peak = max(fresh(SpeechFixtures.silence(5000)));
    System.out.printf("silero: digital silence peaks at %.4f%n", peak);
    assertTrue(peak < 0.2f, "silence peaked at " + peak);
  }

  @Test
  void whiteNoiseIsNotSpeech() {
    for (double deviation : new double[] {300, 3000}) {
      float peak = max(fresh(SpeechFixtures.whiteNoise(5000, deviation, 42)));
      System.out.printf("silero: white noise of deviation %.0f peaks at %.4f%n", deviation, peak);
      assertTrue(peak < 0.2f, "noise of deviation " + deviation + " peaked at " + peak);
    }
  }

  @Test
  void twoCallsSessionsDoNotShareState() throws Exception {
    byte[] speech = SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(0), "kal16");
    byte[] quiet = SpeechFixtures.concat(SpeechFixtures.silence(1000), SpeechFixtures.whiteNoise(2000, 3000, 7));
    List<short[]> speechFrames = SpeechFixtures.frames(speech, vad.frameSamples());
    List<short[]> quietFrames = SpeechFixtures.frames(quiet, vad.frameSamples());
    int n = Math.min(speechFrames.size(), quietFrames.size());
    float[] a = new float[n];
    float[] b = new float[n];
    try (VoiceActivityDetector.Session first = vad.open(); VoiceActivityDetector.Session second = vad.open()) {
      for (int i = 0; i < n; i++) {
        a[i] = first.speechProbability(speechFrames.get(i));
        b[i] = second.speechProbability(quietFrames.get(i));
      }
    }
    assertArrayEquals(java.util.Arrays.copyOf(fresh(speech), n), a, 1e-6f);
    assertArrayEquals(java.util.Arrays.copyOf(fresh(quiet), n), b, 1e-6f);
  }

  @Test
  void aMissingModelFileIsNamed() {
    ActorTestKit other = ActorTestKit.create(ConfigFactory.parseString(
        "parley.call-actors.providers.silero.model-file = /nonexistent/silero_vad_v5.onnx")
        .withFallback(ConfigFactory.load()));
    try {
      IllegalStateException error = assertThrows(IllegalStateException.class, () -> SileroVad.create(other.system()));
      assertEquals("Silero VAD model /nonexistent/silero_vad_v5.onnx (PARLEY_SILERO_MODEL) does not exist",
          error.getMessage());
    } finally {
      other.shutdownTestKit();
    }
  }

  @Test
  void benchmarkFrame() throws Exception {
    byte[] speech = SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(1), "rms");
    List<short[]> frames = new ArrayList<>(SpeechFixtures.frames(speech, vad.frameSamples()));
    fresh(speech);
    long start = System.nanoTime();
    int runs = 10;
    for (int i = 0; i < runs; i++) {
      fresh(speech);
    }
    System.out.printf("silero: %.3f ms per 32 ms frame%n", (System.nanoTime() - start) / 1e6 / (runs * frames.size()));
  }
}
