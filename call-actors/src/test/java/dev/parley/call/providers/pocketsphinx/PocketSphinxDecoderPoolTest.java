package dev.parley.call.providers.pocketsphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;
import dev.parley.call.providers.NativeLibraries;
import dev.parley.call.providers.SpeechFixtures;
import dev.parley.call.providers.flite.FliteTextToSpeech;
import dev.parley.call.speech.WordErrorRate;

/** Decoders are pooled: lent to one stream at a time, returned however the stream ends. */
class PocketSphinxDecoderPoolTest {

  private static ActorTestKit testKit;
  private static Supplier<Decoder> decoders;
  private static FliteTextToSpeech tts;
  private static byte[] sentence;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    decoders = PocketSphinxSpeechToText.decoders(
        testKit.system().settings().config().getConfig("parley.call-actors.providers.pocketsphinx"));
    tts = FliteTextToSpeech.create(testKit.system());
    sentence = SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(1), "rms");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static DecoderPool pool(int max, Duration acquireTimeout) {
    return new DecoderPool(decoders, max, NativeLibraries.speechExecutor(testKit.system()), acquireTimeout);
  }

  private static PocketSphinxSpeechToText stt(DecoderPool pool) {
    return PocketSphinxSpeechToText.of(pool, NativeLibraries.speechDispatcher(testKit.system()));
  }

  private static String finalOf(PocketSphinxSpeechToText stt) throws Exception {
    return finalOf(stt, sentence);
  }

  private static String finalOf(PocketSphinxSpeechToText stt, byte[] pcm) throws Exception {
    List<Transcript> heard = Source.from(PocketSphinxSpeechToTextTest.utterance(pcm)).via(stt.open(null))
        .filter(Transcript::isFinal).runWith(Sink.seq(), testKit.system())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(1, heard.size(), heard.toString());
    return heard.get(0).text();
  }

  private static void awaitIdle(DecoderPool pool, int idle) throws InterruptedException {
    for (int i = 0; i < 600 && pool.idle() != idle; i++) {
      Thread.sleep(50);
    }
    assertEquals(idle, pool.idle());
  }

  /**
   * A stream that holds its decoder mid-utterance until its kill switch is pulled; returns once it
   * has taken the pool's only decoder (the stream takes it asynchronously).
   */
  private static Pair<UniqueKillSwitch, CompletionStage<Done>> holding(PocketSphinxSpeechToText stt, DecoderPool pool)
      throws InterruptedException {
    List<SttInput> audio = PocketSphinxSpeechToTextTest.utterance(sentence);
    Pair<UniqueKillSwitch, CompletionStage<Done>> holder = Source.from(audio.subList(0, 20)).concat(Source.never())
        .viaMat(KillSwitches.single(), Keep.right())
        .via(stt.open(null))
        .toMat(Sink.ignore(), Keep.both())
        .run(testKit.system());
    for (int i = 0; i < 600 && !(pool.existing() == 1 && pool.idle() == 0); i++) {
      Thread.sleep(50);
    }
    assertEquals(0, pool.idle(), "the holder took the decoder");
    return holder;
  }

  @Test
  void benchmarkDecoderInitialisation() {
    for (int i = 0; i < 2; i++) {
      long start = System.nanoTime();
      Decoder decoder = decoders.get();
      System.out.printf("pocketsphinx: decoder initialised in %.0f ms%n", (System.nanoTime() - start) / 1e6);
      decoder.free();
    }
  }

  @Test
  void benchmarkEndOfUtteranceOnTheDecoderItself() {
    Decoder decoder = decoders.get();
    short[] samples = SpeechFixtures.samples(sentence);
    for (int run = 0; run < 3; run++) {
      decoder.start();
      for (int at = 0; at < samples.length; at += 512) {
        decoder.process(java.util.Arrays.copyOfRange(samples, at, Math.min(samples.length, at + 512)));
        decoder.hypothesis();
      }
      long start = System.nanoTime();
      decoder.end();
      String text = decoder.hypothesis();
      System.out.printf("pocketsphinx: ps_end_utt + final hypothesis %.1f ms ('%s')%n",
          (System.nanoTime() - start) / 1e6, text);
      decoder.forgetCaller();
    }
    decoder.free();
  }

  @Test
  void aSecondStreamReusesTheDecoderTheFirstReturned() throws Exception {
    DecoderPool pool = pool(2, Duration.ofSeconds(30));
    PocketSphinxSpeechToText stt = stt(pool);
    String first = finalOf(stt);
    awaitIdle(pool, 1);
    String second = finalOf(stt);
    awaitIdle(pool, 1);
    assertEquals(1, pool.existing());
    assertEquals(first, second);
    assertTrue(WordErrorRate.of(SpeechFixtures.SENTENCES.get(1), second) <= 0.10, second);
    pool.close();
  }

  @Test
  void aStreamCancelledMidUtteranceReturnsAUsableDecoder() throws Exception {
    DecoderPool pool = pool(1, Duration.ofSeconds(30));
    PocketSphinxSpeechToText stt = stt(pool);
    Transcript partial = Source.from(PocketSphinxSpeechToTextTest.utterance(sentence)).via(stt.open(null))
        .runWith(Sink.head(), testKit.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertTrue(!partial.isFinal());
    awaitIdle(pool, 1);
    assertTrue(WordErrorRate.of(SpeechFixtures.SENTENCES.get(1), finalOf(stt)) <= 0.10);
    assertEquals(1, pool.existing());
    pool.close();
  }

  @Test
  void aStreamThatFindsAllDecodersBusyFailsAfterTheAcquireTimeout() throws Exception {
    DecoderPool pool = pool(1, Duration.ofMillis(500));
    PocketSphinxSpeechToText stt = stt(pool);
    Pair<UniqueKillSwitch, CompletionStage<Done>> holder = holding(stt, pool);
    ExecutionException failure = assertThrows(ExecutionException.class, () -> finalOf(stt));
    ProviderException error = assertInstanceOf(ProviderException.class, failure.getCause());
    assertEquals("pipeline-error-custom-transcriber-failed", error.endedReason());
    assertEquals("All 1 PocketSphinx decoders stayed busy for 0s; raise "
        + "parley.call-actors.providers.pocketsphinx.max-decoders", error.getMessage());
    holder.first().shutdown();
    holder.second().toCompletableFuture().get(30, TimeUnit.SECONDS);
    awaitIdle(pool, 1);
    assertTrue(WordErrorRate.of(SpeechFixtures.SENTENCES.get(1), finalOf(stt)) <= 0.10);
    pool.close();
  }

  @Test
  void aWaitingStreamGetsTheDecoderWhenItIsReturned() throws Exception {
    DecoderPool pool = pool(1, Duration.ofSeconds(60));
    PocketSphinxSpeechToText stt = stt(pool);
    Pair<UniqueKillSwitch, CompletionStage<Done>> holder = holding(stt, pool);
    awaitLent(pool);
    CompletionStage<List<Transcript>> waiting = Source.from(PocketSphinxSpeechToTextTest.utterance(sentence))
        .via(stt.open(null)).filter(Transcript::isFinal).runWith(Sink.seq(), testKit.system());
    Thread.sleep(300);
    assertTrue(!waiting.toCompletableFuture().isDone());
    holder.first().shutdown();
    List<Transcript> heard = waiting.toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertTrue(WordErrorRate.of(SpeechFixtures.SENTENCES.get(1), heard.get(0).text()) <= 0.10, heard.toString());
    assertEquals(1, pool.existing());
    pool.close();
  }

  @Test
  void aReturnedDecoderForgetsTheCallerItAdaptedTo() throws Exception {
    Decoder probe = decoders.get();
    assertTrue(probe.forgetsCallers(), "the decoder's cepstral mean was not found");
    probe.free();
    byte[] nextCaller = SpeechFixtures.speak(tts, testKit.system(), SpeechFixtures.SENTENCES.get(4), "kal16");
    DecoderPool fresh = pool(1, Duration.ofSeconds(30));
    String heardFresh = finalOf(stt(fresh), nextCaller);
    fresh.close();

    DecoderPool used = pool(1, Duration.ofSeconds(30));
    PocketSphinxSpeechToText stt = stt(used);
    List<SttInput> previousCaller = new java.util.ArrayList<>();
    for (String said : SpeechFixtures.SENTENCES) {
      previousCaller.addAll(PocketSphinxSpeechToTextTest.utterance(SpeechFixtures.speak(tts, testKit.system(), said, "rms")));
    }
    Source.from(previousCaller).via(stt.open(null)).runWith(Sink.ignore(), testKit.system())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    awaitIdle(used, 1);
    assertEquals(heardFresh, finalOf(stt, nextCaller));
    used.close();
  }

  private static void awaitLent(DecoderPool pool) throws InterruptedException {
    for (int i = 0; i < 600 && (pool.existing() != 1 || pool.idle() != 0); i++) {
      Thread.sleep(50);
    }
  }
}
