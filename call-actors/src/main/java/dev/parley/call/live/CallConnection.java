package dev.parley.call.live;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.StreamRefAttributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.CallEntity;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.VoiceActivityDetector;

/**
 * One caller connection's streams on the entity's side. Caller audio goes through the voice
 * detector and the transcriber, and what they make of it comes to the entity as
 * {@link LiveSignal}s, as do control messages; the entity's messages and the paced assistant audio
 * go out through a bounded queue. Both ends are stream refs ({@link #channel()}).
 */
final class CallConnection {

  /** Marks a failure that came from the caller's side of the input, not from a provider. */
  private static final class ConnectionLost extends RuntimeException {
    ConnectionLost(Throwable cause) {
      super(String.valueOf(cause.getMessage()), cause);
    }
  }

  private final String id;
  private final BoundedSourceQueue<CallerOutput> out;
  private final MediaChannel channel;
  private volatile boolean muted;

  private CallConnection(String id, BoundedSourceQueue<CallerOutput> out, MediaChannel channel) {
    this.id = id;
    this.out = out;
    this.channel = channel;
  }

  static CallConnection open(String id, String transportJson, Transcription transcription,
      ActorRef<CallEntity.Command> entity, int outputBuffer, Duration pickupTimeout, Materializer materializer) {
    Attributes pickup = StreamRefAttributes.subscriptionTimeout(pickupTimeout);
    Pair<BoundedSourceQueue<CallerOutput>, SourceRef<CallerOutput>> output = Source.<CallerOutput>queue(outputBuffer)
        .toMat(StreamRefs.<CallerOutput>sourceRef().addAttributes(pickup), Keep.both()).run(materializer);
    // A provider's stream may wrap the failure of its input in an error of its own: the caller's
    // loss is remembered where it happens, so that it never reads as the provider failing.
    AtomicReference<ConnectionLost> lost = new AtomicReference<>();
    Sink<CallerInput, CompletionStage<Done>> input = inputPipeline(id, transcription, entity, lost);
    SinkRef<CallerInput> toCall = StreamRefs.<CallerInput>sinkRef().addAttributes(pickup).toMat(input, Keep.both())
        .mapMaterializedValue(pair -> {
          pair.second().whenComplete((done, failure) -> entity.tell(
              ended(id, transcription, lost.get() != null ? lost.get() : failure)));
          return pair.first();
        })
        .run(materializer);
    return new CallConnection(id, output.first(), new MediaChannel(toCall, output.second(), transportJson));
  }

  private static LiveSignal ended(String id, Transcription transcription, Throwable failure) {
    if (failure == null) {
      return new LiveSignal.CallerGone(id, "closed");
    }
    if (failure instanceof ConnectionLost lost) {
      return new LiveSignal.CallerGone(id, "lost: " + lost.getMessage());
    }
    ProviderException error = failure instanceof ProviderException p ? p
        : new ProviderException(transcription.failureReason(), String.valueOf(failure.getMessage()), failure);
    return new LiveSignal.PipelineFailed(error.endedReason(), error.getMessage());
  }

  private static Sink<CallerInput, CompletionStage<Done>> inputPipeline(String id, Transcription transcription,
      ActorRef<CallEntity.Command> entity, AtomicReference<ConnectionLost> lost) {
    Sink<CallerInput, ?> controls = Flow.<CallerInput>create()
        .map(c -> (CallEntity.Command) new LiveSignal.CallerControl(id, ((CallerInput.Control) c).json()))
        .to(Sink.foreach(entity::tell));
    return Flow.<CallerInput>create()
        .mapError(new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
            .matchAny(e -> {
              lost.compareAndSet(null, new ConnectionLost(e));
              return lost.get();
            }).build())
        .divertTo(controls, CallerInput.Control.class::isInstance)
        .map(c -> ByteString.fromArrayUnsafe(((CallerInput.Audio) c).pcm()))
        .via(detectSpeech(transcription))
        .mapConcat(event -> {
          if (event instanceof VadEvent.Speech speech) {
            return java.util.List.<SttInput>of(new SttInput.Audio(speech.pcm()));
          }
          entity.tell(new LiveSignal.Vad(id, event));
          return event instanceof VadEvent.SpeechEnded
              ? java.util.List.<SttInput>of(new SttInput.SpeechEnded())
              : java.util.List.<SttInput>of();
        })
        .via(transcription.stt().open(transcription.config()))
        .mapError(new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
            .match(ConnectionLost.class, e -> e)
            .match(ProviderException.class, e -> e)
            .matchAny(e -> new ProviderException(transcription.failureReason(), String.valueOf(e.getMessage()), e))
            .build())
        .toMat(Sink.foreach(t -> entity.tell(new LiveSignal.Heard(id, t.text(), t.isFinal(), System.nanoTime()))),
            Keep.right());
  }

  /** Voice detection is per-frame native work: it runs on the speech dispatcher. */
  private static Flow<ByteString, VadEvent, ?> detectSpeech(Transcription transcription) {
    return Flow.<ByteString>create()
        .statefulMapConcat(() -> {
          VadSegmenter segmenter = transcription.newSegmenter();
          return pcm -> segmenter.accept(pcm, System.nanoTime());
        })
        .withAttributes(ActorAttributes.dispatcher(transcription.dispatcher()));
  }

  String id() {
    return id;
  }

  MediaChannel channel() {
    return channel;
  }

  void setMuted(boolean muted) {
    this.muted = muted;
  }

  void audio(ByteString frame) {
    if (!muted) {
      offer(new CallerOutput.Audio(frame.toArray()));
    }
  }

  void message(String json) {
    offer(new CallerOutput.Message(json));
  }

  /** See {@link CallerOutput.Checkpoint}. */
  void checkpoint() {
    offer(new CallerOutput.Checkpoint());
  }

  /** Sends a close after everything queued, and ends the output stream. */
  void close(int code, String reason) {
    offer(new CallerOutput.Close(code, reason));
    try {
      out.complete();
    } catch (IllegalStateException alreadyEnded) {
      // the caller's side has gone already: nothing left to close
    }
  }

  private void offer(CallerOutput element) {
    QueueOfferResult result = out.offer(element);
    if (result instanceof QueueOfferResult.Failure || result == QueueOfferResult.dropped()) {
      // The caller is not reading: the transport notices the stalled socket; nothing to do here.
      return;
    }
  }

  /** The caller's audio analysis of one call: voice detector, transcriber and their settings. */
  record Transcription(SpeechToText stt, JsonNode config, String failureReason, VoiceActivityDetector vad,
      int startFrames, int hangoverMs, int preRollMs, String dispatcher) {
    VadSegmenter newSegmenter() {
      return new VadSegmenter(vad, startFrames, hangoverMs, preRollMs);
    }
  }
}
