package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.NullNode;

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

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String REASON = "pipeline-error-test-transcriber-failed";

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aLostCallerIsTheCallerGoneThoughTheTranscriberWrapsTheFailure() {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    MediaChannel channel = open(entity, transcriber -> Flow.<SttInput>create()
        .<Transcript>mapConcat(input -> List.of())
        .mapError(new PFBuilder<Throwable, Throwable>()
            .matchAny(e -> new ProviderException(REASON, "test connection failed: " + e.getMessage(), e))
            .build()));

    Source.<CallerInput>single(new CallerInput.Audio(new byte[640]))
        .concat(Source.failed(new IllegalStateException("the socket's node died")))
        .runWith(channel.toCall().getSink(), testKit.system());

    LiveSignal.CallerGone gone = entity.expectMessageClass(LiveSignal.CallerGone.class);
    assertEquals("c1", gone.connectionId());
    assertTrue(gone.reason().startsWith("lost: "), gone.reason());
    assertTrue(gone.reason().contains("the socket's node died"), gone.reason());
  }

  @Test
  void aTranscriberFailingOnItsOwnFailsThePipeline() {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    MediaChannel channel = open(entity, transcriber -> Flow.<SttInput>create()
        .<Transcript>map(input -> {
          throw new ProviderException(REASON, "the transcriber broke");
        }));

    Source.<CallerInput>repeat(new CallerInput.Audio(TestProviders.tone(20, 440).toArray()))
        .take(50)
        .runWith(channel.toCall().getSink(), testKit.system());

    LiveSignal.PipelineFailed failed = entity.fishForMessage(java.time.Duration.ofSeconds(10),
        m -> m instanceof LiveSignal.PipelineFailed
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore())
        .stream().map(LiveSignal.PipelineFailed.class::cast).findFirst().orElseThrow();
    assertEquals(REASON, failed.endedReason());
    assertEquals("the transcriber broke", failed.message());
  }

  private static MediaChannel open(TestProbe<CallEntity.Command> entity, SpeechToText stt) {
    var transcription = new CallConnection.Transcription(stt, NullNode.getInstance(), REASON,
        TestProviders.loudness(), 1, 300, 100, "pekko.actor.default-dispatcher");
    return CallConnection.open("c1", "{}", transcription, entity.getRef(), 16, Duration.ofSeconds(5),
        Materializer.matFromSystem(testKit.system())).channel();
  }
}
