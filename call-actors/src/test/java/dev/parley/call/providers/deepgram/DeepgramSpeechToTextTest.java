package dev.parley.call.providers.deepgram;

import static dev.parley.call.providers.deepgram.FakeDeepgram.results;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;

/** The Deepgram transcriber against a loopback server that speaks Deepgram's live protocol. */
class DeepgramSpeechToTextTest {

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final String FAILED = "pipeline-error-deepgram-transcriber-failed";
  private static final SttInput END = new SttInput.SpeechEnded();

  private FakeDeepgram deepgram;

  @BeforeEach
  void start() throws Exception {
    deepgram = new FakeDeepgram(KIT.system(), script(n -> List.of(), n -> List.of()));
  }

  @AfterEach
  void stop() throws Exception {
    deepgram.close();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void partialsFollowTheResultsAndEachEndOfSpeechGivesOneFinalFromTheFinalizeAnswer() throws Exception {
    deepgram.script = script(
        n -> switch (n) {
          case 0 -> List.of(results("hello", false, false));
          case 1 -> List.of(results("hello there", true, false), results("how", false, false));
          default -> List.of(results("bye", false, false));
        },
        n -> n == 0 ? List.of(results("how are you", true, true)) : List.of(results("bye now", true, true)));
    JsonNode transcriber = json("{\"provider\":\"deepgram\",\"model\":\"nova-3\",\"language\":\"en-US\",\"smartFormat\":true}");

    List<Transcript> heard = Source.from(List.of(audio(320), audio(640), END, audio(960), END))
        .concat(Source.maybe())
        .via(deepgram().open(transcriber))
        .take(6)
        .runWith(Sink.seq(), KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(List.of(
        new Transcript("hello", false),
        new Transcript("hello there", false),
        new Transcript("hello there how", false),
        new Transcript("hello there how are you", true),
        new Transcript("bye", false),
        new Transcript("bye now", true)), heard);
    assertEquals(320 + 640 + 960, deepgram.audioBytes.get());
    assertEquals(List.of(Map.of("encoding", "linear16", "sample_rate", "16000", "channels", "1",
        "interim_results", "true", "model", "nova-3", "language", "en-US", "punctuate", "true",
        "smart_format", "true")), deepgram.queries);
    assertEquals(List.of("{\"type\":\"Finalize\"}", "{\"type\":\"Finalize\"}"), deepgram.controls);
  }

  @Test
  void anUnansweredFinalizeClosesTheUtteranceWithWhatIsFinalSoFar() throws Exception {
    deepgram.script = script(n -> List.of(results("hello there", true, false), results("how", false, false)),
        n -> List.of());
    Queue<Transcript> heard = new ConcurrentLinkedQueue<>();
    BoundedSourceQueue<SttInput> caller = talkStepByStep(heard);

    caller.offer(audio(320));
    await(() -> heard.size() == 2);
    caller.offer(END);
    await(() -> heard.size() == 3);

    assertEquals(List.of(new Transcript("hello there", false), new Transcript("hello there how", false),
        new Transcript("hello there", true)), List.copyOf(heard));
    assertEquals("nova-2", deepgram.queries.get(0).get("model"));
    assertEquals("en", deepgram.queries.get(0).get("language"));
    caller.complete();
  }

  @Test
  void aLateFinalizeAnswerStillMakesTheTurnWhenNothingWasFinalBefore() throws Exception {
    // nothing final while the caller speaks; the Finalize is answered only with the next audio,
    // after the 300 ms timeout and within the 3 s for an utterance without words
    deepgram.script = script(n -> n == 0 ? List.of(results("what about", false, false))
            : List.of(results("what about tomorrow", true, true)),
        n -> List.of());
    Queue<Transcript> heard = new ConcurrentLinkedQueue<>();
    BoundedSourceQueue<SttInput> caller = talkStepByStep(heard);

    caller.offer(audio(320));
    await(() -> heard.size() == 1);
    caller.offer(END);
    Thread.sleep(800);
    assertEquals(1, heard.size(), "no empty final at the short timeout: " + heard);
    caller.offer(audio(320));
    await(() -> heard.size() == 2);

    assertEquals(List.of(new Transcript("what about", false), new Transcript("what about tomorrow", true)),
        List.copyOf(heard));
    caller.complete();
  }

  @Test
  void aFinalizeAnswerThatComesAfterItsTimeoutIsNotGluedOntoTheNextUtterance() throws Exception {
    deepgram.script = script(
        n -> n == 0 ? List.of(results("hello", true, false))
            : List.of(results("late", true, true), results("next", false, false)),
        n -> n == 0 ? List.of() : List.of(results("next one", true, true)));
    Queue<Transcript> heard = new ConcurrentLinkedQueue<>();
    BoundedSourceQueue<SttInput> caller = talkStepByStep(heard);

    caller.offer(audio(320));
    await(() -> heard.size() == 1);
    caller.offer(END);
    await(() -> heard.size() == 2);
    caller.offer(audio(320));
    await(() -> heard.size() == 3);
    caller.offer(END);
    await(() -> heard.size() == 4);

    assertEquals(List.of(new Transcript("hello", false), new Transcript("hello", true),
        new Transcript("next", false), new Transcript("next one", true)), List.copyOf(heard));
    caller.complete();
  }

  @Test
  void keepAlivesGoOutWhileNoAudioFlows() throws Exception {
    DeepgramSpeechToText stt = new DeepgramSpeechToText(KIT.system(),
        new DeepgramSettings(deepgram.baseUrl(), FakeDeepgram.KEY, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(3), 64));
    var running = Source.single(audio(320)).concat(Source.maybe())
        .via(stt.open(json("{\"provider\":\"deepgram\"}")))
        .runWith(Sink.ignore(), KIT.system());

    await(() -> deepgram.keepAlives() >= 3);
    assertTrue(deepgram.keepAlives() >= 3, "KeepAlives seen: " + deepgram.controls);
    assertEquals(320, deepgram.audioBytes.get());
    assertTrue(deepgram.controls.stream().allMatch("{\"type\":\"KeepAlive\"}"::equals), deepgram.controls.toString());
    assertTrue(!running.toCompletableFuture().isDone());
  }

  @Test
  void theEndOfInputSendsCloseStreamAndEndsWhenDeepgramCloses() throws Exception {
    deepgram.script = script(n -> List.of(), n -> List.of(results("goodbye", true, true)));

    List<Transcript> heard = Source.from(List.of(audio(320), END))
        .via(deepgram().open(json("{\"provider\":\"deepgram\"}")))
        .runWith(Sink.seq(), KIT.system()).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(List.of(new Transcript("goodbye", true)), heard);
    assertEquals(List.of("{\"type\":\"Finalize\"}", "{\"type\":\"CloseStream\"}"), deepgram.controls);
  }

  @Test
  void aWrongKeyFailsWithTheHandshakeStatus() {
    DeepgramSpeechToText stt = new DeepgramSpeechToText(KIT.system(), settings(deepgram.baseUrl(), "wrong-key"));
    ProviderException e = failure(stt, List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertEquals("Deepgram refused the connection: 401 Unauthorized: Invalid credentials.", e.getMessage());
  }

  @Test
  void aServerErrorOnTheHandshakeFailsWithItsStatusAndReason() {
    deepgram.refuseWith = 503;
    ProviderException e = failure(deepgram(), List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertEquals("Deepgram refused the connection: 503 Service Unavailable: Service is overloaded", e.getMessage());
  }

  @Test
  void anErrorMessageFromDeepgramFailsTheFlow() {
    deepgram.script = script(n -> List.of(
        "{\"type\":\"Error\",\"variant\":\"DATA-0000\",\"description\":\"Failed to decode audio.\"}"), n -> List.of());
    ProviderException e = failure(deepgram(), List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertEquals("Deepgram error: DATA-0000: Failed to decode audio.", e.getMessage());
  }

  @Test
  void anAbnormalCloseFailsTheFlowWithItsCloseCode() {
    deepgram.script = script(n -> List.of(FakeDeepgram.CLOSE_WITH_ERROR), n -> List.of());
    ProviderException e = failure(deepgram(), List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertTrue(e.getMessage().startsWith("Deepgram closed the connection: 1011"), e.getMessage());
  }

  @Test
  void aCleanCloseWhileTheCallStillListensFailsTheFlow() {
    deepgram.script = script(n -> List.of(FakeDeepgram.CLOSE), n -> List.of());
    ProviderException e = failure(deepgram(), List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertEquals("Deepgram closed the connection while the call was still listening", e.getMessage());
  }

  @Test
  void anUnreachableServerFailsTheFlow() throws Exception {
    String closedPort = deepgram.baseUrl();
    deepgram.close();
    ProviderException e = failure(new DeepgramSpeechToText(KIT.system(), settings(closedPort, FakeDeepgram.KEY)),
        List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertTrue(e.getMessage().startsWith("Deepgram connection failed: "), e.getMessage());
    deepgram = new FakeDeepgram(KIT.system(), deepgram.script);
  }

  @Test
  void aMissingKeyFailsTheFlowWithAClearMessage() {
    ProviderException e = failure(new DeepgramSpeechToText(KIT.system(), settings(deepgram.baseUrl(), "")),
        List.of(audio(320)));
    assertEquals(FAILED, e.endedReason());
    assertEquals("No Deepgram API key is configured (set PARLEY_DEEPGRAM_API_KEY)", e.getMessage());
  }

  @Test
  void createReadsTheReferenceConfiguration() {
    DeepgramSettings settings = DeepgramSettings.fromConfig(
        KIT.system().settings().config().getConfig("parley.call-actors.providers.deepgram"));
    assertEquals("wss://api.deepgram.com/v1", settings.baseUrl());
    assertEquals(Duration.ofSeconds(1), settings.finalizeTimeout());
  }

  /** Waits (generously: a slow machine is not a failure) for what the test needs to see. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private DeepgramSpeechToText deepgram() {
    return new DeepgramSpeechToText(KIT.system(), settings(deepgram.baseUrl(), FakeDeepgram.KEY));
  }

  /** A caller the test feeds one input at a time, with a short finalize timeout; what is heard lands in heard. */
  private BoundedSourceQueue<SttInput> talkStepByStep(Queue<Transcript> heard) {
    DeepgramSpeechToText stt = new DeepgramSpeechToText(KIT.system(), new DeepgramSettings(deepgram.baseUrl(),
        FakeDeepgram.KEY, Duration.ofSeconds(30), Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(3),
        64));
    return Source.<SttInput>queue(16)
        .via(stt.open(json("{\"provider\":\"deepgram\"}")))
        .to(Sink.foreach(heard::add))
        .run(KIT.system());
  }

  /** A finalize timeout long enough that only an unanswered Finalize reaches it. */
  private static DeepgramSettings settings(String baseUrl, String key) {
    return new DeepgramSettings(baseUrl, key, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5),
        Duration.ofSeconds(3), 64);
  }

  private static ProviderException failure(DeepgramSpeechToText stt, List<SttInput> inputs) {
    var done = Source.from(inputs).concat(Source.maybe())
        .via(stt.open(json("{\"provider\":\"deepgram\"}")))
        .runWith(Sink.seq(), KIT.system()).toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(20, TimeUnit.SECONDS));
    return assertInstanceOf(ProviderException.class, e.getCause());
  }

  private static FakeDeepgram.Script script(IntFunction<List<String>> onAudio, IntFunction<List<String>> onFinalize) {
    return new FakeDeepgram.Script() {
      @Override
      public List<String> onAudio(int n) {
        return onAudio.apply(n);
      }

      @Override
      public List<String> onFinalize(int n) {
        return onFinalize.apply(n);
      }
    };
  }

  private static SttInput audio(int bytes) {
    return new SttInput.Audio(ByteString.fromArray(new byte[bytes]));
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
