package dev.parley.call.live;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * A caller connection's two streams into a call, and the call's transport settings (its audio
 * format). Each stream is taken once, by the connection the call accepted.
 */
public sealed interface MediaChannel {

  String transportJson();

  /** Runs the caller's input into the call; returns what {@code input} materializes to. */
  <M> M runToCall(Source<CallerInput, M> input, Materializer materializer);

  /** What the call sends its caller. */
  Source<CallerOutput, NotUsed> fromCall();

  /** As stream refs, so that the connection may live on another node than the call's entity. */
  record Remote(SinkRef<CallerInput> toCall, SourceRef<CallerOutput> output, String transportJson)
      implements MediaChannel, ClusterSerializable {

    @Override
    public <M> M runToCall(Source<CallerInput, M> input, Materializer materializer) {
      return input.to(toCall.getSink()).run(materializer);
    }

    @Override
    public Source<CallerOutput, NotUsed> fromCall() {
      return output.getSource();
    }
  }

  /**
   * For a connection on the call's own node: its input runs straight into the call's voice
   * detection, with no stream ref and no stream of its own in between, and the call's output
   * straight into the connection. 50 frames a second per call make each hop count. Never sent to
   * another node (it has no serializer).
   */
  record Local(Runner toCall, Source<CallerOutput, NotUsed> output, String transportJson) implements MediaChannel {

    /** Materializes a caller's input together with the call's side of it. */
    public interface Runner {
      <M> M run(Source<CallerInput, M> input, Materializer materializer);
    }

    @Override
    public <M> M runToCall(Source<CallerInput, M> input, Materializer materializer) {
      return toCall.run(input, materializer);
    }

    @Override
    public Source<CallerOutput, NotUsed> fromCall() {
      return output;
    }
  }
}
