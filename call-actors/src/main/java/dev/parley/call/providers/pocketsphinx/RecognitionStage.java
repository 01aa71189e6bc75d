package dev.parley.call.providers.pocketsphinx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

import dev.parley.call.audio.SampleAssembler;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;

/**
 * One call's recognition on a pooled decoder: audio starts an utterance if none is open and is
 * decoded at once, a changed hypothesis goes out as a partial transcript, and the end of speech
 * (or of the input) ends the utterance and sends its final transcript unless nothing was heard.
 * Input is only pulled once the pool has lent a decoder; the decoder goes back when the stage
 * stops, however it stops.
 */
final class RecognitionStage extends GraphStage<FlowShape<SttInput, Transcript>> {

  static final String FAILED = "pipeline-error-custom-transcriber-failed";

  private final Inlet<SttInput> in = Inlet.create("PocketSphinx.in");
  private final Outlet<Transcript> out = Outlet.create("PocketSphinx.out");
  private final FlowShape<SttInput, Transcript> shape = FlowShape.of(in, out);
  private final DecoderPool pool;

  RecognitionStage(DecoderPool pool) {
    this.pool = pool;
  }

  @Override
  public FlowShape<SttInput, Transcript> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private CompletableFuture<Decoder> lease;
      private Decoder decoder;
      private final SampleAssembler samples = new SampleAssembler();
      private String lastPartial = "";

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            Transcript transcript = recognise(grab(in));
            if (transcript != null) {
              push(out, transcript);
            } else {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            Transcript last = decoder != null && decoder.inUtterance() ? recognise(new SttInput.SpeechEnded()) : null;
            if (last != null) {
              emit(out, last, () -> completeStage());
            } else {
              completeStage();
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pullIfReady();
          }
        });
      }

      @Override
      public void preStart() {
        AsyncCallback<Object> lent = createAsyncCallback(this::onLent);
        lease = pool.acquire();
        lease.whenComplete((decoder, failure) -> lent.invoke(failure != null ? failure : decoder));
      }

      private void onLent(Object decoderOrFailure) {
        if (decoderOrFailure instanceof Decoder lentDecoder) {
          decoder = lentDecoder;
          pullIfReady();
        } else {
          failStage(leaseFailure((Throwable) decoderOrFailure));
        }
      }

      private void pullIfReady() {
        if (decoder != null && isAvailable(out) && !hasBeenPulled(in) && !isClosed(in)) {
          pull(in);
        }
      }

      private Transcript recognise(SttInput input) {
        try {
          if (input instanceof SttInput.Audio audio) {
            if (!decoder.inUtterance()) {
              decoder.start();
              lastPartial = "";
            }
            decoder.process(samples.next(audio.pcm().toArray()));
            String partial = decoder.hypothesis();
            if (partial.isEmpty() || partial.equals(lastPartial)) {
              return null;
            }
            lastPartial = partial;
            return new Transcript(partial, false);
          }
          if (!decoder.inUtterance()) {
            return null;
          }
          decoder.end();
          String text = decoder.hypothesis();
          return text.isEmpty() ? null : new Transcript(text, true);
        } catch (IllegalStateException e) {
          throw new ProviderException(FAILED, e.getMessage(), e);
        }
      }

      @Override
      public void postStop() {
        if (decoder == null) {
          // not lent yet: it goes straight back when it is
          lease.thenAccept(pool::release);
          return;
        }
        try {
          decoder.forgetCaller();
        } catch (IllegalStateException e) {
          // the decoder marked itself broken: the pool frees it
        }
        pool.release(decoder);
      }
    };
  }

  private ProviderException leaseFailure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return new ProviderException(FAILED, "All " + pool.max() + " PocketSphinx decoders stayed busy for "
          + pool.acquireTimeout().toSeconds() + "s; raise parley.call-actors.providers.pocketsphinx.max-decoders");
    }
    return new ProviderException(FAILED, "PocketSphinx decoder unavailable: " + cause.getMessage(), cause);
  }
}
