package dev.parley.call;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.sharding.ShardCoordinator;

import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Set;
import scala.concurrent.Future;

/**
 * A new call's shard goes to the node that asked for it first, which is the node that took the
 * call's {@code POST /call} and whose URL the caller's socket is given: the call's media then
 * stays on one node. Rebalancing (and a region that cannot take shards) is Pekko's least-shard
 * strategy.
 */
final class CallShardAllocation implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

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
    return leastShards.rebalance(currentShardAllocations, rebalanceInProgress);
  }
}
