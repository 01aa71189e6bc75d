package dev.parley.call.providers.flite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.providers.SpeechFixtures;

class FliteTextToSpeechTest {

  private static ActorTestKit testKit;
  private static FliteTextToSpeech tts;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    tts = FliteTextToSpeech.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rms", "slt", "kal16", "awb", "kal"})
  void eachVoiceSpeaksEachSentenceAtAPlausibleLengthInChunks(String voice) throws Exception {
    for (String sentence : SpeechFixtures.SENTENCES) {
      List<ByteString> chunks = tts.synthesize(sentence, SpeechFixtures.voice(voice))
          .runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      byte[] pcm = chunks.stream().reduce(ByteString.emptyByteString(), ByteString::concat).toArray();
      long millis = Pcm16.millisOf(pcm.length);
      int words = sentence.split(" ").length;
      // people and flite speak 2-5 words a second; at another rate than 16 kHz this would be off 2x or more
      assertTrue(millis > words * 200L && millis < words * 500L, voice + ": " + millis + " ms for " + words + " words");
      assertTrue(SpeechFixtures.rms(SpeechFixtures.samples(pcm)) > 500, voice + " is silent");
      assertTrue(chunks.size() > 10, voice + " came in " + chunks.size() + " chunks");
      chunks.subList(0, chunks.size() - 1).forEach(c -> assertEquals(160 * Pcm16.BYTES_PER_MS, c.size()));
    }
  }

  @Test
  void theResampled8kHzVoiceLastsAsLongAsIts16kHzTwin() throws Exception {
    String sentence = SpeechFixtures.SENTENCES.get(0);
    long kal = SpeechFixtures.speak(tts, testKit.system(), sentence, "kal").length;
    long kal16 = SpeechFixtures.speak(tts, testKit.system(), sentence, "kal16").length;
    assertTrue(Math.abs(kal - kal16) < kal16 / 5, "kal " + kal + " bytes, kal16 " + kal16);
  }

  @Test
  void speedStretchesTheDuration() throws Exception {
    String sentence = SpeechFixtures.SENTENCES.get(1);
    ObjectNode fast = ((ObjectNode) SpeechFixtures.voice("rms")).put("speed", 2.0);
    long normal = SpeechFixtures.speak(tts, testKit.system(), sentence, "rms").length;
    long quick = tts.synthesize(sentence, fast).runWith(Sink.fold(0L, (n, c) -> n + c.size()), testKit.system())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(quick < normal * 0.65 && quick > normal * 0.35, "speed 2: " + quick + " bytes, speed 1: " + normal);
  }

  @Test
  void noVoiceIdMeansTheDefaultVoice() throws Exception {
    String sentence = SpeechFixtures.SENTENCES.get(2);
    long unnamed = tts.synthesize(sentence, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode())
        .runWith(Sink.fold(0L, (n, c) -> n + c.size()), testKit.system())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    // clustergen voices excite unvoiced sounds with noise, so only the length repeats exactly
    assertEquals(SpeechFixtures.speak(tts, testKit.system(), sentence, "rms").length, unnamed);
    assertTrue(SpeechFixtures.speak(tts, testKit.system(), sentence, "slt").length != unnamed);
  }

  @Test
  void anUnknownVoiceFailsNamingTheVoicesThereAre() {
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> SpeechFixtures.speak(tts, testKit.system(), "hello", "nobody"));
    ProviderException error = assertInstanceOf(ProviderException.class, failure.getCause());
    assertEquals("pipeline-error-custom-voice-failed", error.endedReason());
    assertEquals("flite has no voice 'nobody'; its voices are [awb, kal, kal16, rms, slt]", error.getMessage());
  }

  @Test
  void aMissingLibraryIsNamedWithTheCommandThatInstallsIt() {
    ActorTestKit other = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
        "parley.call-actors.providers.flite.voices.rms.library = libflite_cmu_us_missing.so.1")
        .withFallback(com.typesafe.config.ConfigFactory.load()));
    try {
      IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> FliteTextToSpeech.create(other.system()));
      assertTrue(error.getMessage().startsWith("Native library libflite_cmu_us_missing.so.1 could not be loaded"),
          error.getMessage());
      assertTrue(error.getMessage().endsWith("Install it with: apt-get install flite libflite1"), error.getMessage());
    } finally {
      other.shutdownTestKit();
    }
  }

  @Test
  void blankTextIsNoAudio() throws Exception {
    assertEquals(0, SpeechFixtures.speak(tts, testKit.system(), "  ", "rms").length);
  }

  @Test
  void cancellingAfterTheFirstChunkLeavesTheVoiceWorking() throws Exception {
    for (int i = 0; i < 20; i++) {
      List<ByteString> first = tts.synthesize(SpeechFixtures.SENTENCES.get(i % 5), SpeechFixtures.voice("slt"))
          .take(1).runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(1, first.size());
    }
    // cancelled before any audio: materialised and cancelled at once
    tts.synthesize(SpeechFixtures.SENTENCES.get(0), SpeechFixtures.voice("rms"))
        .runWith(Sink.cancelled(), testKit.system());
    assertTrue(SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(3), "slt").length > 0);
  }

  @Test
  void concurrentSynthesesOfManyCallsAllComplete() throws Exception {
    List<java.util.concurrent.CompletableFuture<Long>> all = new java.util.ArrayList<>();
    String[] voices = {"rms", "slt", "kal16", "awb"};
    for (int i = 0; i < 24; i++) {
      all.add(tts.synthesize(SpeechFixtures.SENTENCES.get(i % 5), SpeechFixtures.voice(voices[i % 4]))
          .runWith(Sink.fold(0L, (n, c) -> n + c.size()), testKit.system()).toCompletableFuture());
    }
    for (int i = 0; i < all.size(); i++) {
      long alone = SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(i % 5), voices[i % 4]).length;
      assertEquals(alone, all.get(i).get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void benchmarkTenWordSentence() throws Exception {
    String sentence = SpeechFixtures.SENTENCES.get(0);
    for (String voice : new String[] {"rms", "slt", "kal16", "awb"}) {
      SpeechFixtures.speak(tts, testKit.system(), sentence, voice);
      int runs = 10;
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        SpeechFixtures.speak(tts, testKit.system(), sentence, voice);
      }
      System.out.printf("flite %s: %.1f ms per 10-word sentence%n", voice, (System.nanoTime() - start) / 1e6 / runs);
    }
  }
}
