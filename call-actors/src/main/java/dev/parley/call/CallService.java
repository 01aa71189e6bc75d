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
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;

import dev.parley.call.live.LiveCall;
import dev.parley.call.live.LiveSettings;
import dev.parley.call.live.MediaChannel;
import dev.parley.call.provider.Providers;

/** What the routes call for one call: commands to its {@link CallEntity}. */
public final class CallService {

  private static final long ATTACH_ATTEMPT_MILLIS = 1000;
  private static final Duration ATTACH_ATTEMPT = Duration.ofMillis(ATTACH_ATTEMPT_MILLIS);

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
        .withStopMessage(new CallEntity.HandOff())
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

  /**
   * Joins a caller's connection to a live or queued call; see {@link CallEntity.AttachMedia} for
   * refusals. A caller reconnects the moment its node dies, before the others have let go of that
   * node's shard regions, and a message sent to one of them is lost: so each attempt waits at most
   * {@value #ATTACH_ATTEMPT_MILLIS} ms, and the next, with the same connection id (answered with the
   * same channel), goes out until the ask timeout has passed.
   */
  public CompletionStage<StatusReply<MediaChannel>> attachMedia(String orgId, String callId, String connectionId) {
    return inAttempts(attempt -> ref(callId).ask(replyTo -> new CallEntity.AttachMedia(orgId, connectionId, replyTo),
        attempt), askTimeout, ATTACH_ATTEMPT, system);
  }

  /** {@code ask} again each time an attempt of at most {@code attempt} times out, for {@code total} in all. */
  static <T> CompletionStage<T> inAttempts(java.util.function.Function<Duration, CompletionStage<T>> ask,
      Duration total, Duration attempt, ActorSystem<?> system) {
    Duration each = total.compareTo(attempt) < 0 ? total : attempt;
    int retries = (int) Math.max(0, total.toMillis() / each.toMillis() - 1);
    return Patterns.retry(() -> ask.apply(each), retries, Duration.ZERO, system.classicSystem().scheduler(),
        system.executionContext());
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
