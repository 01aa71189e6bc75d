package dev.parley.persistence.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * A small sharded, event-sourced entity for persistence tests: {@link Add} persists an event made
 * by the given factory (so a test can write under one class name and read under another);
 * {@link Get} answers the state, including the class of every event it was built from.
 */
final class TallyEntity extends EventSourcedBehaviorWithEnforcedReplies<TallyEntity.Command, TallyEntity.Event, TallyEntity.State> {

  static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Tally");

  interface Command extends ClusterSerializable {}

  record Add(int amount, ActorRef<StatusReply<Integer>> replyTo) implements Command {}

  record Get(ActorRef<State> replyTo) implements Command {}

  interface Event extends ClusterSerializable {
    int amount();
  }

  /** The event class as it was named when the journal was written. */
  record AddedBeforeRename(int amount) implements Event {}

  /** The same event after a rename: same id in configuration, same shape. */
  record AddedAfterRename(int amount) implements Event {}

  record State(int total, List<String> eventClasses) implements ClusterSerializable {
    State add(Event event) {
      List<String> classes = new ArrayList<>(eventClasses);
      classes.add(event.getClass().getSimpleName());
      return new State(total + event.amount(), List.copyOf(classes));
    }
  }

  private final IntFunction<Event> newEvent;

  static void init(ActorSystem<?> system, IntFunction<Event> newEvent) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
        context -> create(context.getEntityId(), newEvent)));
  }

  static Behavior<Command> create(String id, IntFunction<Event> newEvent) {
    return new TallyEntity(id, newEvent);
  }

  private TallyEntity(String id, IntFunction<Event> newEvent) {
    super(PersistenceId.of(ENTITY_KEY.name(), id));
    this.newEvent = newEvent;
  }

  @Override
  public State emptyState() {
    return new State(0, List.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Add.class, this::onAdd)
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .build();
  }

  private ReplyEffect<Event, State> onAdd(State state, Add add) {
    if (add.amount() <= 0) {
      return Effect().reply(add.replyTo(), StatusReply.error("amount must be positive"));
    }
    return Effect().persist(newEvent.apply(add.amount()))
        .thenReply(add.replyTo(), updated -> StatusReply.success(updated.total()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::add);
  }
}
