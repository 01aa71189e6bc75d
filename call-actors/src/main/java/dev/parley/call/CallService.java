package dev.parley.call;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;

import dev.parley.call.live.LiveCall;
import dev.parley.call.live.LiveSettings;
import dev.parley.call.live.MediaChannel;
import dev.parley.call.provider.Providers;

/** What the routes call for one call: commands to its {@link CallEntity}. */
public final class CallService {

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final LiveCall.Dependencies live;
  private volatile CallPlacement placement;

  private CallService(ActorSystem<?> system, Duration askTimeout, LiveCall.Dependencies live) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.live = live;
  }

  /**
   * What calls need; {@code providers} are the speech and model providers calls may use. Calls are
   * served once {@link #startSharding} ran.
   */
  public static CallService init(ActorSystem<?> system, Providers providers) {
    LiveCall.Dependencies live = new LiveCall.Dependencies(providers,
        LiveSettings.of(system.settings().config()), Materializer.matFromSystem(system));
    return new CallService(system, system.settings().config().getDuration("parley.call-actors.ask-timeout"), live);
  }

  /**
   * Starts sharding for calls. Only once the journal's tables exist: remembered entities make the
   * shard coordinator read the journal as soon as it starts, and a read of a missing keyspace left
   * the node's events-by-tag queries failing for good.
   */
  public void startSharding() {
    com.typesafe.config.Config config = system.settings().config();
    // Remembered: when a node dies, sharding restarts its live calls on another node at once, so a
    // call whose caller never comes back still ends with a reason.
    sharding.init(Entity.of(CallEntity.ENTITY_KEY, ctx -> CallEntity.create(ctx.getEntityId(), ctx.getShard(), live))
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true))
        .withAllocationStrategy(new CallShardAllocation(
            config.getInt("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit"),
            config.getDouble("pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-relative-limit"))));
    placement = CallPlacement.start(system);
  }

  /** A new call's id: random, and where possible one whose entity would run on this node. */
  public String newCallId() {
    CallPlacement current = placement;
    return current == null ? java.util.UUID.randomUUID().toString() : current.newCallId();
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

  /** Joins a caller's connection to a live or queued call; see {@link CallEntity.AttachMedia} for refusals. */
  public CompletionStage<StatusReply<MediaChannel>> attachMedia(String orgId, String callId, String connectionId) {
    return ref(callId).ask(replyTo -> new CallEntity.AttachMedia(orgId, connectionId, replyTo), askTimeout);
  }

  /** Joins a connection that stayed open while its call moved to another node (see {@link CallEntity.Interruption}). */
  public CompletionStage<StatusReply<MediaChannel>> resumeMedia(String orgId, String callId, String connectionId,
      CallEntity.Interruption interruption, Duration timeout) {
    return ref(callId).ask(replyTo -> new CallEntity.AttachMedia(orgId, connectionId, interruption, replyTo), timeout);
  }

  private EntityRef<CallEntity.Command> ref(String callId) {
    return sharding.entityRefFor(CallEntity.ENTITY_KEY, callId);
  }
}
