package dev.parley.call.live;

import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;

/**
 * Lets nothing through until it is opened, then everything: the stream before it runs ahead into
 * its buffers meanwhile. Opening is thread-safe and may come before the stream has started.
 */
final class ReleaseGate<T> extends AbstractGraphStageWithMaterializedValue<FlowShape<T, T>, Runnable> {

  private final Inlet<T> in = Inlet.create("ReleaseGate.in");
  private final Outlet<T> out = Outlet.create("ReleaseGate.out");
  private final FlowShape<T, T> shape = FlowShape.of(in, out);
  private final boolean initiallyOpen;

  ReleaseGate(boolean initiallyOpen) {
    this.initiallyOpen = initiallyOpen;
  }

  @Override
  public FlowShape<T, T> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Runnable> createLogicAndMaterializedValuePair(Attributes attributes) {
    Logic logic = new Logic();
    return Pair.create(logic, () -> logic.opener.invoke(Boolean.TRUE));
  }

  private final class Logic extends GraphStageLogic {
    private boolean open = initiallyOpen;
    final AsyncCallback<Boolean> opener = createAsyncCallback(ignored -> {
      open = true;
      if (isAvailable(out) && !hasBeenPulled(in) && !isClosed(in)) {
        pull(in);
      }
    });

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          push(out, grab(in));
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (open) {
            pull(in);
          }
        }
      });
    }
  }
}
