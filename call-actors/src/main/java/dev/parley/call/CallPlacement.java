package dev.parley.call;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Picks new call ids whose shard this node already hosts, so that a call created here (whose
 * caller is given this node's URL) runs here, next to its media. Ids stay random UUIDs; a node that
 * hosts no call shard yet takes any id, and {@link CallShardAllocation} gives a new shard to it.
 */
final class CallPlacement {

  private static final int TRIES = 32;
  private static final Duration REFRESH = Duration.ofSeconds(2);

  private final int numberOfShards;
  private volatile Set<String> localShards = Set.of();

  private CallPlacement(int numberOfShards) {
    this.numberOfShards = numberOfShards;
  }

  static CallPlacement start(ActorSystem<?> system) {
    CallPlacement placement =
        new CallPlacement(system.settings().config().getInt("pekko.cluster.sharding.number-of-shards"));
    system.scheduler().scheduleWithFixedDelay(REFRESH, REFRESH, () -> placement.refresh(system),
        system.executionContext());
    return placement;
  }

  String newCallId() {
    Set<String> local = localShards;
    UUID id = UUID.randomUUID();
    for (int i = 1; i < TRIES && !local.isEmpty() && !local.contains(shardOf(id.toString())); i++) {
      id = UUID.randomUUID();
    }
    return id.toString();
  }

  private String shardOf(String callId) {
    return shardOf(callId, numberOfShards);
  }

  /** Pekko's default shard of an entity id (typed sharding's hash-code extractor). */
  static String shardOf(String callId, int numberOfShards) {
    return Integer.toString(Math.abs(callId.hashCode() % numberOfShards));
  }

  private void refresh(ActorSystem<?> system) {
    AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(CallEntity.ENTITY_KEY, replyTo), REFRESH, system.scheduler())
        .thenAccept(state -> localShards = state.getShards().stream()
            .map(ShardRegion.ShardState::shardId).collect(Collectors.toUnmodifiableSet()));
  }
}
