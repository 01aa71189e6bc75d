package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.NullNode;
import com.typesafe.config.ConfigFactory;

import dev.parley.call.CallEntity;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;

/**
 * How a connection's input ends reaches the entity as the right signal: a caller lost (its node
 * died) is the caller gone, even when the transcriber turns every failure into one of its own, as
 * the Deepgram client does; a transcriber failing on its own is a pipeline failure.
 */
class CallConnectionTest {

  private static final String SPEECH_DISPATCHER = "test-speech-dispatcher";
  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      SPEECH_DISPATCHER + " { type = Dispatcher, executor = fork-join-executor }")
      .withFallback(ConfigFactory.load()));
  private static final String REASON = "pipeline-error-test-transcriber-failed";

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @ParameterizedTest(name = "local: {0}")
  @ValueSource(booleans = {true, false})
  void aLostCallerIsTheCallerGoneThoughTheTranscriberWrapsTheFailure(boolean local) {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    MediaChannel channel = open(entity, local, transcriber -> Flow.<SttInput>create()
        .<Transcript>mapConcat(input -> List.of())
        .mapError(new PFBuilder<Throwable, Throwable>()
            .matchAny(e -> new ProviderException(REASON, "test connection failed: " + e.getMessage(), e))
            .build()));

    channel.runToCall(Source.<CallerInput>single(new CallerInput.Audio(new byte[640]))
        .concat(Source.failed(new IllegalStateException("the socket's node died"))), materializer());

    LiveSignal.CallerGone gone = entity.expectMessageClass(LiveSignal.CallerGone.class);
    assertEquals("c1", gone.connectionId());
    assertTrue(gone.reason().startsWith("lost: "), gone.reason());
    assertTrue(gone.reason().contains("the socket's node died"), gone.reason());
  }

  @ParameterizedTest(name = "local: {0}")
  @ValueSource(booleans = {true, false})
  void aTranscriberFailingOnItsOwnFailsThePipeline(boolean local) {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    MediaChannel channel = open(entity, local, transcriber -> Flow.<SttInput>create()
        .<Transcript>map(input -> {
          throw new ProviderException(REASON, "the transcriber broke");
        }));

    channel.runToCall(Source.<CallerInput>repeat(new CallerInput.Audio(TestProviders.tone(20, 440).toArray()))
        .take(50), materializer());

    LiveSignal.PipelineFailed failed = entity.fishForMessage(java.time.Duration.ofSeconds(10),
        m -> m instanceof LiveSignal.PipelineFailed
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore())
        .stream().map(LiveSignal.PipelineFailed.class::cast).findFirst().orElseThrow();
    assertEquals(REASON, failed.endedReason());
    assertEquals("the transcriber broke", failed.message());
  }

  /** What the call sends before a connection on its node takes up its streams waits for it, in order. */
  @Test
  void aLocalConnectionGetsWhatTheCallSentBeforeItTookItsStreams() throws Exception {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    CallConnection connection = connection(entity, true, Duration.ofSeconds(5), silentTranscriber());
    connection.message("{\"type\":\"status-update\"}");
    connection.audio(ByteString.fromArray(new byte[] {1, 2, 3, 4}));
    connection.close(CallerOutput.CLOSE_CALL_ENDED, "call ended: test");

    List<CallerOutput> sent = connection.channel().fromCall().runWith(Sink.seq(), materializer())
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertEquals(3, sent.size(), sent::toString);
    assertEquals("{\"type\":\"status-update\"}", ((CallerOutput.Message) sent.get(0)).json());
    assertArrayEquals(new byte[] {1, 2, 3, 4}, ((CallerOutput.Audio) sent.get(1)).pcm());
    assertEquals(new CallerOutput.Close(CallerOutput.CLOSE_CALL_ENDED, "call ended: test"), sent.get(2));
  }

  /** A caller that gave up during the handshake never takes up its streams: the call hears it is lost. */
  @ParameterizedTest(name = "local: {0}")
  @ValueSource(booleans = {true, false})
  void aConnectionThatNeverTakesUpItsStreamsIsLost(boolean local) {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    connection(entity, local, Duration.ofMillis(300), silentTranscriber()).channel();

    LiveSignal.CallerGone gone = entity.expectMessageClass(LiveSignal.CallerGone.class, Duration.ofSeconds(5));
    assertEquals("c1", gone.connectionId());
    assertTrue(gone.reason().startsWith("lost: "), gone.reason());
  }

  /**
   * The pickup time starts when the channel is handed out, not when the connection was opened: a
   * call that took long to write the attach (a slow journal) does not count that against its caller.
   */
  @ParameterizedTest(name = "local: {0}")
  @ValueSource(booleans = {true, false})
  void aChannelHandedOutLateIsNotLostIfTakenAtOnce(boolean local) throws Exception {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    CallConnection connection = connection(entity, local, Duration.ofMillis(300), silentTranscriber());
    connection.message("{\"type\":\"status-update\"}");
    entity.expectNoMessage(Duration.ofMillis(600)); // longer than the pickup time

    MediaChannel channel = connection.channel();
    var input = channel.runToCall(Source.<CallerInput>queue(4), materializer());
    var output = channel.fromCall().runWith(Sink.head(), materializer());

    assertEquals("{\"type\":\"status-update\"}",
        ((CallerOutput.Message) output.toCompletableFuture().get(5, TimeUnit.SECONDS)).json());
    input.offer(new CallerInput.Control("{\"type\":\"say\"}"));
    assertEquals("{\"type\":\"say\"}", entity.expectMessageClass(LiveSignal.CallerControl.class).json());
    entity.expectNoMessage(Duration.ofMillis(600));
  }

  /** A local connection's input is taken once: a second run is refused, the first goes on. */
  @Test
  void aLocalConnectionsInputIsTakenOnce() throws Exception {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    MediaChannel channel = connection(entity, true, Duration.ofSeconds(5), silentTranscriber()).channel();
    var first = channel.runToCall(Source.<CallerInput>queue(4), materializer());

    var second = channel.runToCall(Source.<CallerInput>never().watchTermination(Keep.right()), materializer());

    second.toCompletableFuture().get(5, TimeUnit.SECONDS);
    first.offer(new CallerInput.Control("{\"type\":\"say\"}"));
    assertEquals("{\"type\":\"say\"}", entity.expectMessageClass(LiveSignal.CallerControl.class).json());
  }

  /**
   * Voice detection is native work per frame: it runs on the speech dispatcher, whichever way the
   * connection came, and never on the caller's or the entity's threads.
   */
  @ParameterizedTest(name = "local: {0}")
  @ValueSource(booleans = {true, false})
  void voiceDetectionRunsOnTheSpeechDispatcher(boolean local) {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    var transcription = new CallConnection.Transcription(silentTranscriber(), NullNode.getInstance(), REASON,
        TestProviders.detector(frame -> {
          threads.add(Thread.currentThread().getName());
          return 0.02;
        }), 1, 300, 100, SPEECH_DISPATCHER);
    MediaChannel channel = CallConnection.open("c1", "{}", transcription, entity.getRef(), local, 16,
        Duration.ofSeconds(5), materializer()).channel();

    channel.runToCall(Source.<CallerInput>repeat(new CallerInput.Audio(TestProviders.tone(20, 440).toArray()))
        .take(20), materializer());

    entity.expectMessageClass(LiveSignal.CallerGone.class, Duration.ofSeconds(5));
    assertFalse(threads.isEmpty());
    assertTrue(threads.stream().allMatch(name -> name.contains(SPEECH_DISPATCHER)), threads::toString);
  }

  private static SpeechToText silentTranscriber() {
    return config -> Flow.<SttInput>create().<Transcript>mapConcat(input -> List.of());
  }

  private static CallConnection connection(TestProbe<CallEntity.Command> entity, boolean local, Duration pickup,
      SpeechToText stt) {
    var transcription = new CallConnection.Transcription(stt, NullNode.getInstance(), REASON,
        TestProviders.loudness(), 1, 300, 100, "pekko.actor.default-dispatcher");
    return CallConnection.open("c1", "{}", transcription, entity.getRef(), local, 16, pickup, materializer());
  }

  private static Materializer materializer() {
    return Materializer.matFromSystem(testKit.system());
  }

  private static MediaChannel open(TestProbe<CallEntity.Command> entity, boolean local, SpeechToText stt) {
    return connection(entity, local, Duration.ofSeconds(5), stt).channel();
  }
}
