package dev.parley.registry.keys;

import java.time.Instant;
import java.util.Optional;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * One API key, identified by the SHA-256 of the key: the key itself is never stored.
 * {@link Issue} to an org: {@link Issued} (again to the same org and kind: accepted, nothing
 * persisted; to another org: refused). {@link Revoke}: {@link Revoked}. {@link Lookup} answers the
 * org and kind of a live key, or nothing.
 */
public final class ApiKeyEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ApiKeyEntity.Command, ApiKeyEntity.Event, ApiKeyEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ApiKey");

  public interface Command extends ClusterSerializable {}

  public record Issue(String orgId, KeyKind kind, Instant at, ActorRef<StatusReply<Principal>> replyTo)
      implements Command {}

  public record Revoke(Instant at, ActorRef<StatusReply<Principal>> replyTo) implements Command {}

  public record Lookup(ActorRef<Found> replyTo) implements Command {}

  public record Found(Optional<Principal> principal) implements ClusterSerializable {}

  public interface Event extends ClusterSerializable {}

  public record Issued(String keyHash, String orgId, KeyKind kind, Instant at) implements Event {}

  public record Revoked(String keyHash, Instant at) implements Event {}

  public record State(Optional<Principal> principal, boolean revoked) implements ClusterSerializable {
    State apply(Event event) {
      return event instanceof Issued issued
          ? new State(Optional.of(new Principal(issued.orgId(), issued.kind(), issued.keyHash())), false)
          : new State(principal, true);
    }
  }

  private final String keyHash;

  public static Behavior<Command> create(String keyHash) {
    return new ApiKeyEntity(keyHash);
  }

  private ApiKeyEntity(String keyHash) {
    super(PersistenceId.of(ENTITY_KEY.name(), keyHash));
    this.keyHash = keyHash;
  }

  @Override
  public State emptyState() {
    return new State(Optional.empty(), false);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Issue.class, this::onIssue)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(Lookup.class, (state, lookup) -> Effect().reply(lookup.replyTo(),
            new Found(state.revoked() ? Optional.empty() : state.principal())))
        .build();
  }

  private ReplyEffect<Event, State> onIssue(State state, Issue issue) {
    if (state.revoked()) {
      return Effect().reply(issue.replyTo(), StatusReply.error("key was revoked"));
    }
    if (state.principal().isPresent()) {
      Principal existing = state.principal().get();
      return existing.orgId().equals(issue.orgId()) && existing.kind() == issue.kind()
          ? Effect().reply(issue.replyTo(), StatusReply.success(existing))
          : Effect().reply(issue.replyTo(), StatusReply.error("key belongs to another org or kind"));
    }
    return Effect().persist(new Issued(keyHash, issue.orgId(), issue.kind(), issue.at()))
        .thenReply(issue.replyTo(), s -> StatusReply.success(s.principal().orElseThrow()));
  }

  private ReplyEffect<Event, State> onRevoke(State state, Revoke revoke) {
    if (state.principal().isEmpty() || state.revoked()) {
      return Effect().reply(revoke.replyTo(), StatusReply.error("no such key"));
    }
    return Effect().persist(new Revoked(keyHash, revoke.at()))
        .thenReply(revoke.replyTo(), s -> StatusReply.success(s.principal().orElseThrow()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
