package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.NullNode;

import dev.parley.call.CallEntity;
import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;

/** A reply streams sentence by sentence from the model into the voice and out as paced frames. */
class ReplyStreamTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void modelTextBecomesPacedFramesOfEverySentenceAnnouncedBeforeTheFirstFrame() {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    ConcurrentLinkedQueue<Object> sent = new ConcurrentLinkedQueue<>();
    ReplyStream.Output output = recording(sent);
    ReplyStream.Voice voice = voice();
    ReplyStream reply = ReplyStream.ofModel(1,
        request -> Source.from(List.<ModelEvent>of(new ModelEvent.TextDelta("Hi there. "),
            new ModelEvent.TextDelta("Bye now."))),
        new ModelRequest(NullNode.instance, List.of(), List.of()), "pipeline-error-custom-llm-llm-failed", voice,
        output, entity.getRef(), Materializer.matFromSystem(testKit.system()), false);
    entity.fishForMessage(Duration.ofSeconds(5), m -> m instanceof LiveSignal.ReplyDone
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    assertEquals("speech started", sent.peek());
    assertEquals(1, sent.stream().filter(String.class::isInstance).count());
    assertEquals(400 / Pcm16.FRAME_MS, sent.stream().filter(ByteString.class::isInstance).count());
    assertEquals("Hi there. Bye now.", reply.playback().fullText());
  }

  @Test
  void aHeldReplyRunsItsModelButSendsNothingUntilReleasedThenEverythingInOrder() {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    ConcurrentLinkedQueue<Object> sent = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicInteger modelCalls = new java.util.concurrent.atomic.AtomicInteger();
    ReplyStream reply = ReplyStream.ofModel(7, request -> {
      modelCalls.incrementAndGet();
      return Source.from(List.<ModelEvent>of(new ModelEvent.TextDelta("Hi "), new ModelEvent.TextDelta("there.")));
    }, new ModelRequest(NullNode.instance, List.of(), List.of()), "pipeline-error-custom-llm-llm-failed", voice(),
        recording(sent), entity.getRef(), Materializer.matFromSystem(testKit.system()), true);

    entity.expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, modelCalls.get(), "the model was asked at once");
    assertEquals("Hi there.", reply.playback().fullText(), "and its whole reply is in");
    assertEquals(0, sent.size(), "nothing left for the caller");

    reply.release();
    assertEquals("Hi ", entity.expectMessageClass(LiveSignal.ModelDelta.class).text());
    assertEquals("there.", entity.expectMessageClass(LiveSignal.ModelDelta.class).text());
    assertEquals(7, entity.expectMessageClass(LiveSignal.ReplyAudioStarted.class).replyId());
    assertEquals(7, entity.expectMessageClass(LiveSignal.ReplyDone.class, Duration.ofSeconds(5)).replyId());
    assertEquals("speech started", sent.peek());
    assertEquals(200 / Pcm16.FRAME_MS, sent.stream().filter(ByteString.class::isInstance).count());
  }

  @Test
  void aHeldReplyThatIsStoppedIsNeverHeardOf() {
    TestProbe<CallEntity.Command> entity = testKit.createTestProbe();
    ConcurrentLinkedQueue<Object> sent = new ConcurrentLinkedQueue<>();
    ReplyStream reply = ReplyStream.ofModel(8,
        request -> Source.from(List.<ModelEvent>of(new ModelEvent.TextDelta("Never heard."))),
        new ModelRequest(NullNode.instance, List.of(), List.of()), "pipeline-error-custom-llm-llm-failed", voice(),
        recording(sent), entity.getRef(), Materializer.matFromSystem(testKit.system()), true);
    entity.expectNoMessage(Duration.ofMillis(200));
    reply.stop();
    entity.expectNoMessage(Duration.ofMillis(300));
    assertEquals(0, sent.size());
  }

  private static ReplyStream.Voice voice() {
    return new ReplyStream.Voice(
        (text, config) -> Source.single(TestProviders.tone(text.split(" ").length * 100, 440)), NullNode.instance,
        "pipeline-error-custom-voice-failed");
  }

  private static ReplyStream.Output recording(ConcurrentLinkedQueue<Object> sent) {
    return new ReplyStream.Output() {
      @Override
      public int lookaheadFrames() {
        return 3;
      }

      @Override
      public void speechStarted() {
        sent.add("speech started");
      }

      @Override
      public void audio(ByteString frame) {
        sent.add(frame);
      }
    };
  }
}
