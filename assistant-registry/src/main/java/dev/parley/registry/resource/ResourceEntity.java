package dev.parley.registry.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * One assistant, tool, squad, phone number or credential of one org.
 *
 * <ul>
 *   <li>{@link Create} on a new id: {@link Created}; on an existing one: refused ({@link #ALREADY_EXISTS}).
 *   <li>{@link Update} of a live resource of the same org: {@link Updated} with the merged body.
 *   <li>{@link Delete}: {@link Deleted}; the id is never live again.
 *   <li>{@link Get}: the resource. Another org's resource, a deleted or never created one: {@link #NOT_FOUND}.
 * </ul>
 * Bodies are sealed with the kind's {@link BodyCodec} before they are persisted and opened for replies.
 */
public final class ResourceEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ResourceEntity.Command, ResourceEntity.Event, ResourceEntity.State> {

  public static final String NOT_FOUND = "not-found";
  public static final String ALREADY_EXISTS = "already-exists";
  public static final int TAG_COUNT = 4;

  public interface Command extends ClusterSerializable {}

  public record Create(String orgId, String body, Instant at, ActorRef<StatusReply<Resource>> replyTo)
      implements Command {}

  public record Update(String orgId, String patch, Instant at, ActorRef<StatusReply<Resource>> replyTo)
      implements Command {}

  public record Delete(String orgId, Instant at, ActorRef<StatusReply<Resource>> replyTo) implements Command {}

  public record Get(String orgId, ActorRef<StatusReply<Resource>> replyTo) implements Command {}

  /** Every event carries the whole resource (sealed body), so the read side never looks anything up. */
  public interface Event extends ClusterSerializable {
    Resource resource();
  }

  public record Created(Resource resource) implements Event {}

  public record Updated(Resource resource) implements Event {}

  public record Deleted(Resource resource) implements Event {}

  /** Empty (never created), live, or deleted: a deleted id stays deleted. */
  public record State(Optional<Resource> resource, boolean deleted) implements ClusterSerializable {
    static final State EMPTY = new State(Optional.empty(), false);

    boolean liveFor(String orgId) {
      return !deleted && resource.map(r -> r.orgId().equals(orgId)).orElse(false);
    }

    State apply(Event event) {
      return new State(Optional.of(event.resource()), event instanceof Deleted);
    }
  }

  private final ResourceKind kind;
  private final String id;
  private final BodyCodec codec;

  public static Behavior<Command> create(ResourceKind kind, String id, BodyCodec codec) {
    return new ResourceEntity(kind, id, codec);
  }

  /** The tag of an entity's events: one of {@link #TAG_COUNT}, by hash of its persistence id. */
  public static String tagFor(String persistenceId) {
    return "resource-" + Math.floorMod(persistenceId.hashCode(), TAG_COUNT);
  }

  private ResourceEntity(ResourceKind kind, String id, BodyCodec codec) {
    super(PersistenceId.of(kind.entityKey().name(), id),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.kind = kind;
    this.id = id;
    this.codec = codec;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, this::onGet);
    return builder.build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create create) {
    if (state.resource().isPresent()) {
      return Effect().reply(create.replyTo(), StatusReply.error(ALREADY_EXISTS));
    }
    Resource resource = new Resource(kind, id, create.orgId(), codec.seal(create.body()), create.at(), create.at());
    return Effect().persist(new Created(resource)).thenReply(create.replyTo(), this::openReply);
  }

  private ReplyEffect<Event, State> onUpdate(State state, Update update) {
    if (!state.liveFor(update.orgId())) {
      return Effect().reply(update.replyTo(), StatusReply.error(NOT_FOUND));
    }
    Resource current = state.resource().orElseThrow();
    String merged = JsonBodies.mergeTopLevel(codec.open(current.body()), update.patch());
    Resource updated = current.withBody(codec.seal(merged), update.at());
    return Effect().persist(new Updated(updated)).thenReply(update.replyTo(), this::openReply);
  }

  private ReplyEffect<Event, State> onDelete(State state, Delete delete) {
    if (!state.liveFor(delete.orgId())) {
      return Effect().reply(delete.replyTo(), StatusReply.error(NOT_FOUND));
    }
    Resource current = state.resource().orElseThrow();
    return Effect().persist(new Deleted(current)).thenReply(delete.replyTo(), this::openReply);
  }

  private ReplyEffect<Event, State> onGet(State state, Get get) {
    if (!state.liveFor(get.orgId())) {
      return Effect().reply(get.replyTo(), StatusReply.error(NOT_FOUND));
    }
    return Effect().reply(get.replyTo(), openReply(state));
  }

  private StatusReply<Resource> openReply(State state) {
    Resource stored = state.resource().orElseThrow();
    return StatusReply.success(stored.withBody(codec.open(stored.body())));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(persistenceId().id()));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }
}
