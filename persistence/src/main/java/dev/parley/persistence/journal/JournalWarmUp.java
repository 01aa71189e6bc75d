package dev.parley.persistence.journal;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Starts a journal and snapshot plugin and has them run every query of a recovery once, for a
 * persistence id that has no events. A plugin starts, opens its connection and prepares its
 * statements when an entity first needs it: on a node that has just restarted after a crash, that
 * first entity is a live call moving to it, and it waited about a second more for all that.
 */
public final class JournalWarmUp {

  private enum Stop { INSTANCE }

  private JournalWarmUp() {}

  /** Completes once a recovery through both plugins is done ({@code ""}: the default plugin). */
  public static CompletionStage<Done> run(ActorSystem<?> system, String journalPluginId, String snapshotPluginId) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    String id = UUID.randomUUID().toString();
    system.systemActorOf(Behaviors.<Object>setup(context -> new Recovery(PersistenceId.of("journal-warm-up", id),
        journalPluginId, snapshotPluginId, context.getSelf(), done)), "journal-warm-up-" + id, Props.empty());
    return done;
  }

  private static final class Recovery extends EventSourcedBehavior<Object, Object, Done> {

    private final String journalPluginId;
    private final String snapshotPluginId;
    private final org.apache.pekko.actor.typed.ActorRef<Object> self;
    private final CompletableFuture<Done> done;

    Recovery(PersistenceId persistenceId, String journalPluginId, String snapshotPluginId,
        org.apache.pekko.actor.typed.ActorRef<Object> self, CompletableFuture<Done> done) {
      super(persistenceId);
      this.journalPluginId = journalPluginId;
      this.snapshotPluginId = snapshotPluginId;
      this.self = self;
      this.done = done;
    }

    @Override
    public Done emptyState() {
      return Done.getInstance();
    }

    @Override
    public CommandHandler<Object, Object, Done> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().onAnyCommand(command -> Effect().stop());
    }

    @Override
    public EventHandler<Done, Object> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
    }

    @Override
    public SignalHandler<Done> signalHandler() {
      return newSignalHandlerBuilder()
          .onSignal(RecoveryCompleted.instance(), state -> {
            done.complete(Done.getInstance());
            self.tell(Stop.INSTANCE);
          })
          .onSignal(RecoveryFailed.class, (state, failed) -> done.completeExceptionally(failed.getFailure()))
          .build();
    }

    @Override
    public String journalPluginId() {
      return journalPluginId;
    }

    @Override
    public String snapshotPluginId() {
      return snapshotPluginId;
    }
  }
}
