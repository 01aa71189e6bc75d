package dev.parley.node.downing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWRegisterKey;
import org.apache.pekko.cluster.ddata.Replicator;

/**
 * Lets one shard coordinator that just started on this node, because the oldest node's process
 * died, answer at once when its state is read, instead of 500 ms later. Pekko's coordinator waits
 * those 500 ms, hard-coded, for the {@code Terminated} of regions on nodes that are still members
 * but gone. The regions of a removed node are dropped without that wait, and a killed node is
 * removed before its coordinators move here; meanwhile the calls of the dead node wait for their
 * shards' homes. The coordinator reads its state from the sharding replicator when it starts; this
 * actor reads the same state right after it, so its answer comes when the coordinator has its own,
 * and then sends the coordinator the message that its wait would have sent.
 */
final class EarlyCoordinatorStart {

  interface Command {}

  private record Found(ActorIdentity identity) implements Command {}

  private record StateRead(Replicator.GetResponse<?> response) implements Command {}

  private enum Look implements Command { INSTANCE }

  private enum GiveUp implements Command { INSTANCE }

  private static final Duration LOOK_EVERY = Duration.ofMillis(50);

  private EarlyCoordinatorStart() {}

  /** Looks for the coordinator of {@code type} until {@code within} has passed. */
  static Behavior<Command> create(String type, Object stateInitialized, Duration within) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(context.getSystem());
      String coordinatorPath = "/system/sharding/" + URLEncoder.encode(type, StandardCharsets.UTF_8)
          + "Coordinator/singleton/coordinator";
      ActorRef identities = Adapter.toClassic(context.messageAdapter(ActorIdentity.class, Found::new));
      @SuppressWarnings({"unchecked", "rawtypes"})
      ActorRef readReplies = Adapter.toClassic(context.messageAdapter(Replicator.GetResponse.class,
          response -> new StateRead((Replicator.GetResponse<?>) response)));
      timers.startTimerWithFixedDelay(Look.INSTANCE, LOOK_EVERY);
      timers.startSingleTimer(GiveUp.INSTANCE, within);
      return Behaviors.receive(Command.class)
          .onMessage(Look.class, look -> {
            classic.actorSelection(coordinatorPath).tell(new Identify(type), identities);
            return Behaviors.same();
          })
          .onMessage(GiveUp.class, giveUp -> Behaviors.stopped())
          .onMessage(Found.class, found -> {
            Optional<ActorRef> ref = found.identity().getActorRef();
            if (ref.isEmpty()) {
              return Behaviors.same();
            }
            timers.cancel(Look.INSTANCE);
            // the same read as the coordinator's (its consistency is all members here), after it
            classic.actorSelection("/system/sharding/replicator").tell(new Replicator.Get<>(
                LWWRegisterKey.create(type + "CoordinatorState"),
                new Replicator.ReadAll(within), Optional.empty()), readReplies);
            return readingState(context.getLog(), type, ref.get(), stateInitialized);
          })
          .build();
    }));
  }

  /** The coordinator is found: once the state it reads is readable here, it is told to answer. */
  private static Behavior<Command> readingState(org.slf4j.Logger log, String type, ActorRef coordinator,
      Object stateInitialized) {
    return Behaviors.receive(Command.class)
        .onMessage(StateRead.class, read -> {
          if (read.response() instanceof Replicator.GetSuccess<?>) {
            log.debug("The coordinator of {} has read its state: it answers from now on.", type);
            coordinator.tell(stateInitialized, ActorRef.noSender());
          }
          return Behaviors.stopped();
        })
        .onMessage(GiveUp.class, giveUp -> Behaviors.stopped())
        // answers to identities asked before the first one came
        .onMessage(Found.class, late -> Behaviors.same())
        .build();
  }
}
