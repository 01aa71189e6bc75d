package dev.parley.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Readiness check: true once this node has made sure every keyspace and table exists. Registered
 * under {@code pekko.management.health-checks.readiness-checks}.
 */
public final class SchemaReadiness implements Supplier<CompletionStage<Boolean>> {

  private final State state;

  public SchemaReadiness(ActorSystem system) {
    this.state = Id.INSTANCE.apply(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(state.ready.get());
  }

  static void markReady(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    Id.INSTANCE.apply(system).ready.set(true);
  }

  static boolean isReady(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).ready.get();
  }

  static final class State implements Extension {
    private final AtomicBoolean ready = new AtomicBoolean(false);
  }

  static final class Id extends ExtensionId<State> {
    static final Id INSTANCE = new Id();

    @Override
    public State createExtension(org.apache.pekko.actor.typed.ActorSystem<?> system) {
      return new State();
    }
  }
}
