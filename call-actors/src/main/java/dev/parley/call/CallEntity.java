package dev.parley.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import dev.parley.call.live.LiveCall;
import dev.parley.call.live.LiveSignal;
import dev.parley.call.live.MediaChannel;
import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * One call. It persists decisions, never audio.
 *
 * <ul>
 *   <li>{@link Create} on a new id: {@link CallCreated} (status queued); on an existing one: refused.
 *   <li>{@link Get}, {@link Delete}: the call of that org, else {@link #NOT_FOUND}; delete: {@link CallDeleted}.
 *   <li>{@link AttachMedia}: the first connection starts the call ({@link TransportAttached}, status
 *       in-progress); the conversation then runs in {@link LiveCall}, which decides what is persisted:
 *       {@link UserSpoke}, {@link AssistantSpoke}, {@link ToolCalled}, {@link CallEnded}, ...
 * </ul>
 */
public final class CallEntity extends EventSourcedBehavior<CallEntity.Command, CallEntity.Event, CallState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Call");
  public static final String NOT_FOUND = "not-found";
  public static final String ALREADY_EXISTS = "already-exists";
  public static final String ENDED = "ended";
  public static final String ALREADY_CONNECTED = "already-connected";
  public static final int TAG_COUNT = 4;

  public interface Command extends ClusterSerializable {}

  public record Create(CallRecord call, ActorRef<StatusReply<CallState>> replyTo) implements Command {}

  public record Get(String orgId, ActorRef<StatusReply<CallState>> replyTo) implements Command {}

  public record Delete(String orgId, Instant at, ActorRef<StatusReply<CallState>> replyTo) implements Command {}

  /**
   * A caller's connection joins the call: the reply holds its streams. Refused for another org's
   * or an unknown call ({@link #NOT_FOUND}), an ended one ({@link #ENDED}) and while another
   * connection is live ({@link #ALREADY_CONNECTED}).
   */
  public record AttachMedia(String orgId, String connectionId, Interruption resuming,
      ActorRef<StatusReply<MediaChannel>> replyTo) implements Command {
    public AttachMedia(String orgId, String connectionId, ActorRef<StatusReply<MediaChannel>> replyTo) {
      this(orgId, connectionId, null, replyTo);
    }
  }

  /**
   * Why and since when a connection that is still open on the caller's side lost its call (the
   * call's node died or handed the call over): the connection comes back with it.
   */
  public record Interruption(Instant since, String cause) implements ClusterSerializable {}

  /** Sent by the entity to itself: an entity that holds no live call leaves memory. */
  public record StopIfIdle() implements Command {}

  /**
   * Sharding's stop message for calls: on a hand-off or a passivation the entity writes what only it
   * knows, then stops ({@link LiveCall#onHandOff}).
   */
  public record HandOff() implements Command {}

  /** Every event of a call; the read side needs nothing else. */
  public interface Event extends ClusterSerializable {}

  public record CallCreated(CallRecord call) implements Event {}

  /** A caller's media connection joined; the first one starts the call. */
  public record TransportAttached(String connectionId, Instant at) implements Event {}

  public record TransportDetached(String connectionId, String reason, Instant at) implements Event {}

  /**
   * A connection that stayed open on the caller's side got its call back after the call's node died
   * or handed it over; the caller heard nothing from {@code interruptedAt} to {@code resumedAt}.
   */
  public record CallResumed(String connectionId, Instant interruptedAt, Instant resumedAt, String cause)
      implements Event {}

  /** The system prompt the model starts from, or a system message a client added. */
  public record SystemPrompted(String message, Instant at) implements Event {}

  /** A final user turn: the transcript, from the start of speech to its end. */
  public record UserSpoke(String text, Instant startedAt, Instant endedAt) implements Event {}

  /**
   * The assistant spoke: {@code heardText} is what the caller actually heard (all of
   * {@code fullText} unless {@code interrupted}).
   */
  public record AssistantSpoke(String fullText, String heardText, boolean interrupted, Instant startedAt,
      Instant endedAt, String source, TurnLatency latency) implements Event {}

  public record ToolCalled(String toolCallId, String name, String arguments, Instant at) implements Event {}

  public record ToolResultRecorded(String toolCallId, String name, String result, Instant at) implements Event {}

  /** {@code endedReason}: one of Vapi's values, e.g. customer-ended-call, silence-timed-out. */
  public record CallEnded(String endedReason, Instant at) implements Event {}

  public record CallDeleted(Instant at) implements Event {}

  private final String callId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final LiveCall live;

  public static Behavior<Command> create(String callId, ActorRef<ClusterSharding.ShardCommand> shard,
      LiveCall.Dependencies dependencies) {
    return org.apache.pekko.actor.typed.javadsl.Behaviors.setup(context ->
        org.apache.pekko.actor.typed.javadsl.Behaviors.withTimers(timers ->
            new CallEntity(callId, shard, new LiveCall(context, timers, dependencies))));
  }

  /** The tag of a call's events: one of {@link #TAG_COUNT}, by hash of its id. */
  public static String tagFor(String callId) {
    return "call-" + Math.floorMod(callId.hashCode(), TAG_COUNT);
  }

  /**
   * Whether the call read model is made of this kind of event ({@code CallProjectionHandler}): only
   * those are tagged. A tagged event's write waits for a second write, to the tag table, before the
   * call may go on, and a conversation writes an event at every turn.
   */
  public static boolean readSideEvent(Event event) {
    return event instanceof CallCreated || event instanceof TransportAttached || event instanceof CallEnded
        || event instanceof CallDeleted;
  }

  private CallEntity(String callId, ActorRef<ClusterSharding.ShardCommand> shard, LiveCall live) {
    super(PersistenceId.of(ENTITY_KEY.name(), callId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.callId = callId;
    this.shard = shard;
    this.live = live;
  }

  @Override
  public CallState emptyState() {
    return CallState.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, CallState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, this::onGet)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(AttachMedia.class, live::onAttachMedia)
        .onCommand(LiveSignal.class, live::onSignal)
        .onCommand(StopIfIdle.class, this::onStopIfIdle)
        .onCommand(HandOff.class, (state, handOff) -> live.onHandOff(state))
        .build();
  }

  /**
   * Calls are remembered entities (sharding restarts a live call after its node died), so an entity
   * whose call is not live must stop itself, or every call ever made would be kept in memory.
   */
  private Effect<Event, CallState> onStopIfIdle(CallState state, StopIfIdle stop) {
    if (state.status() != CallStatus.IN_PROGRESS) {
      shard.tell(new ClusterSharding.Passivate<>(live.self()));
    }
    return Effect().none();
  }

  private Effect<Event, CallState> onCreate(CallState state, Create create) {
    if (state.call() != null) {
      return Effect().none().thenReply(create.replyTo(), s -> StatusReply.error(ALREADY_EXISTS));
    }
    return Effect().persist(new CallCreated(create.call()))
        .thenRun(s -> live.armIdleStop())
        .thenReply(create.replyTo(), StatusReply::success);
  }

  private Effect<Event, CallState> onGet(CallState state, Get get) {
    if (!state.visibleTo(get.orgId())) {
      return Effect().none().thenReply(get.replyTo(), s -> StatusReply.error(NOT_FOUND));
    }
    return Effect().none().thenReply(get.replyTo(), StatusReply::success);
  }

  private Effect<Event, CallState> onDelete(CallState state, Delete delete) {
    if (!state.visibleTo(delete.orgId())) {
      return Effect().none().thenReply(delete.replyTo(), s -> StatusReply.error(NOT_FOUND));
    }
    return Effect().persist(new CallDeleted(delete.at())).thenReply(delete.replyTo(), StatusReply::success);
  }

  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<CallState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.instance(), live::onRecovered)
        .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), state -> live.onStop())
        .build();
  }

  @Override
  public EventHandler<CallState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
      live.observe(event);
      return state.apply(event);
    });
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return readSideEvent(event) ? Set.of(tagFor(callId)) : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }
}
