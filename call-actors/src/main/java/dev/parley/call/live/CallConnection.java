package dev.parley.call.live;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.StreamRefAttributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;

import scala.jdk.javaapi.DurationConverters;

import dev.parley.call.CallEntity;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.VoiceActivityDetector;

/**
 * One caller connection's streams on the entity's side. Caller audio goes through the voice
 * detector and the transcriber, and what they make of it comes to the entity as
 * {@link LiveSignal}s, as do control messages; the entity's messages and the paced assistant audio
 * go out through a bounded queue ({@link OutputLine}). Both ends make the {@link #channel()}: stream
 * refs for a connection on another node, the streams themselves for one on this node.
 */
final class CallConnection {

  /** Marks a failure that came from the caller's side of the input, not from a provider. */
  private static final class ConnectionLost extends RuntimeException {
    ConnectionLost(Throwable cause) {
      super(String.valueOf(cause.getMessage()), cause);
    }
  }

  private final String id;
  private final OutputLine out;
  private final Supplier<MediaChannel> handOut;
  private MediaChannel channel;
  private volatile boolean muted;

  private CallConnection(String id, OutputLine out, Supplier<MediaChannel> handOut) {
    this.id = id;
    this.out = out;
    this.handOut = handOut;
  }

  /**
   * Opens the call's side of a connection. {@code local}: the connection runs on this node, and
   * takes a {@link MediaChannel.Local}; else stream refs. The channel is made when it is first
   * handed out ({@link #channel()}), and a connection that does not take it up within
   * {@code pickupTimeout} from then (its caller gave up during the WebSocket handshake) counts as
   * lost: the time the call took to write the attach is not the caller's.
   */
  static CallConnection open(String id, String transportJson, Transcription transcription,
      ActorRef<CallEntity.Command> entity, boolean local, int outputBuffer, Duration pickupTimeout,
      Materializer materializer) {
    OutputLine out = new OutputLine(outputBuffer, id);
    // A provider's stream may wrap the failure of its input in an error of its own: the caller's
    // loss is remembered where it happens, so that it never reads as the provider failing.
    AtomicReference<ConnectionLost> lost = new AtomicReference<>();
    Consumer<CompletionStage<Done>> whenInputEnds = done -> done.whenComplete((d, failure) -> entity.tell(
        ended(id, transcription, lost.get() != null ? lost.get() : failure)));
    InputPipeline input = new InputPipeline(id, transcription, entity, lost);
    if (local) {
      return new CallConnection(id, out, () -> {
        AtomicBoolean taken = new AtomicBoolean();
        MediaChannel.Local.Runner runner = new MediaChannel.Local.Runner() {
          @Override
          public <M> M run(Source<CallerInput, M> source, Materializer mat) {
            if (!taken.compareAndSet(false, true)) {
              return source.to(Sink.cancelled()).run(mat);
            }
            Pair<M, CompletionStage<Done>> running = input.from(source).run(mat);
            whenInputEnds.accept(running.second());
            return running.first();
          }
        };
        Source<CallerOutput, NotUsed> output = Source.<CallerOutput>queue(outputBuffer)
            .mapMaterializedValue(queue -> {
              out.bind(queue);
              return NotUsed.getInstance();
            });
        materializer.scheduleOnce(DurationConverters.toScala(pickupTimeout), () -> {
          if (!taken.get()) {
            entity.tell(new LiveSignal.CallerGone(id, "lost: the connection did not take up its streams within "
                + pickupTimeout.toMillis() + " ms"));
          }
        });
        return new MediaChannel.Local(runner, output, transportJson);
      });
    }
    return new CallConnection(id, out, () -> {
      Attributes pickup = StreamRefAttributes.subscriptionTimeout(pickupTimeout);
      Pair<BoundedSourceQueue<CallerOutput>, SourceRef<CallerOutput>> output = Source.<CallerOutput>queue(outputBuffer)
          .toMat(StreamRefs.<CallerOutput>sourceRef().addAttributes(pickup), Keep.both()).run(materializer);
      out.bind(output.first());
      Pair<SinkRef<CallerInput>, CompletionStage<Done>> toCall =
          input.from(StreamRefs.<CallerInput>sinkRef().addAttributes(pickup)).run(materializer);
      whenInputEnds.accept(toCall.second());
      return new MediaChannel.Remote(toCall.first(), output.second(), transportJson);
    });
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

  /**
   * The caller's input on the call's side: control messages to the entity; audio through the voice
   * detector, and speech to the transcriber, whose transcripts go to the entity. Voice detection is
   * per-frame native work: it runs on the speech dispatcher, fused with the input's own source (a
   * stream ref, or a local connection's queue), so a frame of silence costs one hand-over between
   * threads. The transcriber, which only hears speech, runs apart.
   */
  private record InputPipeline(String id, Transcription transcription, ActorRef<CallEntity.Command> entity,
      AtomicReference<ConnectionLost> lost) {

    <M> RunnableGraph<Pair<M, CompletionStage<Done>>> from(Source<CallerInput, M> source) {
      return source.via(detection()).addAttributes(ActorAttributes.dispatcher(transcription.dispatcher()))
          .toMat(transcriber(), Keep.both());
    }

    private Flow<CallerInput, SttInput, NotUsed> detection() {
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
          .statefulMapConcat(() -> {
            VadSegmenter segmenter = transcription.newSegmenter();
            return pcm -> segmenter.accept(pcm, System.nanoTime());
          })
          .mapConcat(event -> {
            if (event instanceof VadEvent.Speech speech) {
              return List.<SttInput>of(new SttInput.Audio(speech.pcm()));
            }
            entity.tell(new LiveSignal.Vad(id, event));
            return event instanceof VadEvent.SpeechEnded
                ? List.<SttInput>of(new SttInput.SpeechEnded())
                : List.<SttInput>of();
          });
    }

    private Sink<SttInput, CompletionStage<Done>> transcriber() {
      return Flow.<SttInput>create()
          .via(transcription.stt().open(transcription.config()))
          .mapError(new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
              .match(ConnectionLost.class, e -> e)
              .match(ProviderException.class, e -> e)
              .matchAny(e -> new ProviderException(transcription.failureReason(), String.valueOf(e.getMessage()), e))
              .build())
          .toMat(Sink.foreach(t -> entity.tell(new LiveSignal.Heard(id, t.text(), t.isFinal(), System.nanoTime()))),
              Keep.right());
    }
  }

  String id() {
    return id;
  }

  /** The connection's channel, made the first time it is asked for; the same one after that. */
  MediaChannel channel() {
    if (channel == null) {
      channel = handOut.get();
    }
    return channel;
  }

  /** What went towards the caller, for the log when the connection ends. */
  String outputSummary() {
    return out.sent() + " sent to the caller (" + out.sentAudio() + " of them audio frames), " + out.lost() + " lost";
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
    out.complete();
  }

  private void offer(CallerOutput element) {
    out.offer(element);
  }

  /** The caller's audio analysis of one call: voice detector, transcriber and their settings. */
  record Transcription(SpeechToText stt, JsonNode config, String failureReason, VoiceActivityDetector vad,
      int startFrames, int hangoverMs, int preRollMs, String dispatcher) {
    VadSegmenter newSegmenter() {
      return new VadSegmenter(vad, startFrames, hangoverMs, preRollMs);
    }
  }
}
