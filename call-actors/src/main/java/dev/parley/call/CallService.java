package dev.parley.call;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/** What the routes call for one call: commands to its {@link CallEntity}. */
public final class CallService {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private CallService(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  public static CallService init(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(CallEntity.ENTITY_KEY, ctx -> CallEntity.create(ctx.getEntityId())));
    Duration askTimeout = system.settings().config().getDuration("parley.call-actors.ask-timeout");
    return new CallService(sharding, askTimeout);
  }

  public CompletionStage<StatusReply<CallState>> create(CallRecord call) {
    return ref(call.id()).ask(replyTo -> new CallEntity.Create(call, replyTo), askTimeout);
  }

  public CompletionStage<StatusReply<CallState>> get(String orgId, String callId) {
    return ref(callId).ask(replyTo -> new CallEntity.Get(orgId, replyTo), askTimeout);
  }

  public CompletionStage<StatusReply<CallState>> delete(String orgId, String callId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return ref(callId).ask(replyTo -> new CallEntity.Delete(orgId, now, replyTo), askTimeout);
  }

  private EntityRef<CallEntity.Command> ref(String callId) {
    return sharding.entityRefFor(CallEntity.ENTITY_KEY, callId);
  }
}
