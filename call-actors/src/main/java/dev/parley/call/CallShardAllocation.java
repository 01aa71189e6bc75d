package dev.parley.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Set;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * A new call's shard goes to the node that asked for it first, which is the node that took the
 * call's {@code POST /call} and whose URL the caller's socket is given: the call's media then
 * stays on one node. A region that cannot take shards gets Pekko's least-shard choice.
 *
 * <p>Rebalancing moves only shards that hold no call at the moment: moving a live call interrupts
 * it (its caller hears a gap while it restarts elsewhere) for no gain, since calls end by
 * themselves. Pekko's least-shard strategy picks among the idle shards of the fullest regions; a
 * node that joined gets its share as calls end.
 */
final class CallShardAllocation implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  private final ShardCoordinator.ShardAllocationStrategy leastShards;

  CallShardAllocation(int rebalanceAbsoluteLimit, double rebalanceRelativeLimit) {
    // 0 stands for Pekko's deprecated threshold strategy; this one takes Pekko's suggested limit
    this.leastShards = ShardCoordinator.ShardAllocationStrategy$.MODULE$.leastShardAllocationStrategy(
        rebalanceAbsoluteLimit > 0 ? rebalanceAbsoluteLimit : 20, rebalanceRelativeLimit);
  }

  @Override
  public void start(ActorSystem system) {
    if (leastShards instanceof ShardCoordinator.ActorSystemDependentAllocationStrategy dependent) {
      dependent.start(system);
    } else if (leastShards instanceof ShardCoordinator.StartableAllocationStrategy startable) {
      startable.start();
    }
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    // regions of nodes that are leaving are not among the current allocations
    return currentShardAllocations.contains(requester)
        ? Future.successful(requester)
        : leastShards.allocateShard(requester, shardId, currentShardAllocations);
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
      Set<String> rebalanceInProgress) {
    java.util.Map<ActorRef, List<String>> allocations = new LinkedHashMap<>();
    CollectionConverters.asJava(currentShardAllocations)
        .forEach((region, shards) -> allocations.put(region, CollectionConverters.asJava(shards)));
    CompletionStage<java.util.Set<String>> moved = busyShards(allocations.keySet())
        .thenCompose(busy -> FutureConverters.asJava(leastShards.rebalance(idleFirst(allocations, busy),
                rebalanceInProgress))
            .thenApply(picked -> withoutBusy(CollectionConverters.asJava(picked), busy)))
        // a region that does not say what it holds: nothing moves this round
        .exceptionally(failure -> java.util.Set.of());
    return FutureConverters.asScala(moved.thenApply(set -> CollectionConverters.asScala(set).toSet()));
  }

  /** The shards some region reports entities in, or could not report on. */
  private static CompletionStage<java.util.Set<String>> busyShards(java.util.Collection<ActorRef> regions) {
    List<CompletableFuture<ShardRegion.ShardRegionStats>> asks = new ArrayList<>();
    for (ActorRef region : regions) {
      asks.add(Patterns.ask(region, ShardRegion.getRegionStatsInstance(), STATS_TIMEOUT)
          .thenApply(ShardRegion.ShardRegionStats.class::cast).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> {
      java.util.Set<String> busy = new HashSet<>();
      for (CompletableFuture<ShardRegion.ShardRegionStats> ask : asks) {
        ShardRegion.ShardRegionStats stats = ask.join();
        stats.getStats().forEach((shard, entities) -> {
          if (((Number) entities).intValue() > 0) {
            busy.add(shard);
          }
        });
        busy.addAll(stats.getFailed());
      }
      return busy;
    });
  }

  /** Each region's shards with the idle ones first, where the least-shard strategy takes from. */
  static Map<ActorRef, IndexedSeq<String>> idleFirst(java.util.Map<ActorRef, List<String>> allocations,
      java.util.Set<String> busy) {
    java.util.Map<ActorRef, IndexedSeq<String>> ordered = new LinkedHashMap<>();
    allocations.forEach((region, shards) -> {
      List<String> idleFirst = new ArrayList<>(shards.stream().filter(s -> !busy.contains(s)).toList());
      idleFirst.addAll(shards.stream().filter(busy::contains).toList());
      ordered.put(region, CollectionConverters.asScala(idleFirst).toIndexedSeq());
    });
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(ordered));
  }

  static java.util.Set<String> withoutBusy(java.util.Set<String> picked, java.util.Set<String> busy) {
    java.util.Set<String> idle = new HashSet<>(picked);
    idle.removeAll(busy);
    return idle;
  }
}
