package dev.parley.call.live;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.CallEntity;
import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.TextToSpeech;

/**
 * One assistant utterance, running: reply text (from the model, streamed, or given) is cut into
 * sentences, each sentence is voiced as soon as it is complete, and the audio leaves in 20 ms
 * frames paced in real time with a small lookahead. {@link #stop()} stops the pacing at once; the
 * {@link Playback} then says what the caller heard.
 */
final class ReplyStream {

  private static final int SYNTHESIS_AHEAD_FRAMES = 64;
  private static final int MODEL_AHEAD_DELTAS = 4096;
  /** Markers compared by identity. */
  private static final String END_OF_TEXT = new String("end of text");
  private static final ByteString END_OF_AUDIO = ByteString.fromArrayUnsafe(new byte[0]);

  private final int id;
  private final Playback playback = new Playback();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile boolean allSent;
  private volatile UniqueKillSwitch killSwitch;
  private final ActorRef<CallEntity.Command> entity;
  private volatile Runnable release;
  /** The signals of a held reply, in order, until its release; null after it. */
  private List<LiveSignal> outbox;

  private ReplyStream(int id, boolean held, ActorRef<CallEntity.Command> entity) {
    this.id = id;
    this.entity = entity;
    this.outbox = held ? new java.util.ArrayList<>() : null;
  }

  /** Tells the entity, or keeps the signal for the release of a held reply. */
  private synchronized void signal(LiveSignal signal) {
    if (outbox != null) {
      outbox.add(signal);
    } else {
      entity.tell(signal);
    }
  }

  int id() {
    return id;
  }

  Playback playback() {
    return playback;
  }

  /** Stops the audio now (and the model and voice streams behind it). */
  void stop() {
    if (stopped.compareAndSet(false, true) && killSwitch != null) {
      killSwitch.shutdown();
    }
  }

  boolean stopped() {
    return stopped.get();
  }

  /** Every frame of the reply has left, though the entity may not have had {@link LiveSignal.ReplyDone} yet. */
  boolean allSent() {
    return allSent;
  }

  /** A held reply's audio starts now (see {@link #ofModel}); for any other reply, nothing happens. */
  void release() {
    synchronized (this) {
      if (outbox != null) {
        outbox.forEach(entity::tell);
        outbox = null;
      }
    }
    release.run();
  }

  static ReplyStream ofText(int id, String text, Voice voice, Output output, ActorRef<CallEntity.Command> entity,
      Materializer materializer) {
    SentenceSplitter splitter = new SentenceSplitter();
    List<String> sentences = new java.util.ArrayList<>(splitter.add(text));
    sentences.addAll(splitter.flush());
    ReplyStream reply = new ReplyStream(id, false, entity);
    reply.playback.textGenerated(text);
    return reply.run(Source.from(sentences), voice, output, false, materializer);
  }

  /**
   * A reply from the model. A {@code held} one runs the model and the voice at once but sends no
   * audio until {@link #release()}: it answers a turn that is not decided yet.
   */
  static ReplyStream ofModel(int id, LanguageModel model, ModelRequest request, String failureReason, Voice voice,
      Output output, ActorRef<CallEntity.Command> entity, Materializer materializer, boolean held) {
    ReplyStream reply = new ReplyStream(id, held, entity);
    SentenceSplitter splitter = new SentenceSplitter();
    Source<String, NotUsed> sentences = model.complete(request)
        .mapError(asProviderFailure(failureReason))
        .map(event -> {
          if (event instanceof ModelEvent.TextDelta delta) {
            reply.playback.textGenerated(delta.text());
            reply.signal(new LiveSignal.ModelDelta(id, delta.text(), System.nanoTime()));
            return delta.text();
          }
          if (event instanceof ModelEvent.ToolCallRequested call) {
            reply.signal(new LiveSignal.ModelToolCall(id, call.call()));
          }
          return "";
        })
        // The model writes ahead of the voice, so an interrupted reply still knows all it meant to say.
        .buffer(MODEL_AHEAD_DELTAS, OverflowStrategy.backpressure())
        // The end of the reply flushes the last sentence; a concatenated lazy source would run too early.
        .concat(Source.single(END_OF_TEXT))
        .mapConcat(text -> text == END_OF_TEXT ? splitter.flush() : splitter.add(text));
    return reply.run(sentences, voice, output, held, materializer);
  }

  private ReplyStream run(Source<String, ?> sentences, Voice voice, Output output, boolean held,
      Materializer materializer) {
    ReplyStream reply = this;
    Playback playback = reply.playback;
    Reframer reframer = new Reframer(Pcm16.FRAME_BYTES);
    Source<ByteString, ?> frames = sentences
        .flatMapConcat(sentence -> {
          playback.sentenceStarted(sentence);
          return voice.tts().synthesize(sentence, voice.config())
              .mapError(asProviderFailure(voice.failureReason()))
              .map(chunk -> {
                playback.sentenceAudio(Pcm16.millisOf(chunk.size()));
                return chunk;
              });
        })
        .concat(Source.single(END_OF_AUDIO))
        .mapConcat(chunk -> {
          if (chunk == END_OF_AUDIO) {
            playback.audioComplete();
            return reframer.rest();
          }
          return reframer.frames(chunk);
        });
    Pair<UniqueKillSwitch, java.util.concurrent.CompletionStage<org.apache.pekko.Done>> running = frames
        .addAttributes(Attributes.inputBuffer(SYNTHESIS_AHEAD_FRAMES, SYNTHESIS_AHEAD_FRAMES))
        .async()
        .viaMat(new ReleaseGate<ByteString>(!held), Keep.right())
        .mapMaterializedValue(opener -> {
          reply.release = opener;
          return NotUsed.getInstance();
        })
        .throttle(1, Duration.ofMillis(Pcm16.FRAME_MS), output.lookaheadFrames(), ThrottleMode.shaping())
        .viaMat(KillSwitches.single(), Keep.right())
        .map(frame -> {
          long now = System.nanoTime();
          boolean first = !playback.started();
          playback.frameSent(Pcm16.FRAME_MS, now);
          if (first) {
            output.speechStarted();
            reply.signal(new LiveSignal.ReplyAudioStarted(id, now));
          }
          output.audio(frame);
          return frame;
        })
        .toMat(Sink.ignore(), Keep.both())
        .run(materializer);
    reply.killSwitch = running.first();
    if (reply.stopped()) {
      running.first().shutdown();
    }
    running.second().whenComplete((done, failure) -> {
      if (failure != null && !reply.stopped()) {
        ProviderException error = failure instanceof ProviderException p ? p
            : new ProviderException(voice.failureReason(), String.valueOf(failure.getMessage()), failure);
        reply.signal(new LiveSignal.ReplyFailed(reply.id, error.endedReason(), error.getMessage()));
      } else {
        reply.allSent = failure == null && !reply.stopped();
        reply.signal(new LiveSignal.ReplyDone(id));
      }
    });
    return reply;
  }

  /** Any failure of a provider's stream, as a {@link ProviderException} with the provider's reason. */
  static scala.PartialFunction<Throwable, Throwable> asProviderFailure(String endedReason) {
    return new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
        .match(ProviderException.class, e -> e)
        .matchAny(e -> new ProviderException(endedReason, String.valueOf(e.getMessage()), e))
        .build();
  }

  /** The voice of a call: its provider, its configuration, and its failure reason. */
  record Voice(TextToSpeech tts, JsonNode config, String failureReason) {}

  /** Where frames go. */
  interface Output {
    int lookaheadFrames();

    /** Called once, just before the first frame. */
    void speechStarted();

    void audio(ByteString frame);
  }
}
