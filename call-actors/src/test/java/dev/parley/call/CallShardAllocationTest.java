package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.concurrent.Await;
import scala.jdk.javaapi.CollectionConverters;

/** Where new call shards go, and which shard a call id falls in. */
class CallShardAllocationTest {

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() throws Exception {
    // Pekko's least-shard strategy reads cluster membership: a one-node cluster
    testKit = ActorTestKit.create(ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        """));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aNewShardGoesToTheRegionThatAskedForItEvenWhenAnotherHoldsFewer() throws Exception {
    ActorRef busy = region("busy");
    ActorRef idle = region("idle");
    Map<ActorRef, IndexedSeq<String>> current = allocations(busy, List.of("1", "2", "3"), idle, List.of());
    CallShardAllocation allocation = new CallShardAllocation(20, 0.1);
    allocation.start(Adapter.toClassic(testKit.system()));

    assertEquals(busy, allocate(allocation, busy, "4", current));
    assertEquals(idle, allocate(allocation, idle, "5", current));
  }

  @Test
  void aRegionThatCannotTakeShardsGetsTheLeastLoadedOne() throws Exception {
    ActorRef busy = region("busy2");
    ActorRef idle = region("idle2");
    ActorRef leaving = region("leaving");
    Map<ActorRef, IndexedSeq<String>> current = allocations(busy, List.of("1", "2", "3"), idle, List.of());
    CallShardAllocation allocation = new CallShardAllocation(20, 0.1);
    allocation.start(Adapter.toClassic(testKit.system()));

    assertEquals(idle, allocate(allocation, leaving, "4", current));
  }

  @Test
  void rebalancingMovesOnlyShardsWithoutCalls() throws Exception {
    ActorRef full = answeringRegion(java.util.Map.of("1", 2, "2", 1, "3", 4, "4", 0));
    ActorRef joined = answeringRegion(java.util.Map.of());
    List<String> fullShards = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    CallShardAllocation allocation = new CallShardAllocation(20, 1.0);
    allocation.start(Adapter.toClassic(testKit.system()));

    java.util.Set<String> moved = rebalance(allocation, allocations(full, fullShards, joined, List.of()));
    assertFalse(moved.isEmpty(), "idle shards move to the region that has none");
    assertTrue(List.of("4", "5", "6", "7", "8", "9", "10").containsAll(moved), moved.toString());
  }

  @Test
  void nothingMovesWhenEveryShardHasCallsOrARegionDoesNotAnswer() throws Exception {
    ActorRef full = answeringRegion(java.util.Map.of("1", 1, "2", 1, "3", 1, "4", 1));
    ActorRef joined = answeringRegion(java.util.Map.of());
    CallShardAllocation allocation = new CallShardAllocation(20, 1.0);
    allocation.start(Adapter.toClassic(testKit.system()));
    assertEquals(java.util.Set.of(),
        rebalance(allocation, allocations(full, List.of("1", "2", "3", "4"), joined, List.of())));

    ActorRef silent = region("silent");
    ActorRef idle = answeringRegion(java.util.Map.of());
    assertEquals(java.util.Set.of(),
        rebalance(allocation, allocations(silent, List.of("1", "2", "3", "4"), idle, List.of())));
  }

  @Test
  void theShardOfACallIdIsPekkosOwn() {
    HashCodeMessageExtractor<Object> pekko = new HashCodeMessageExtractor<>(1000);
    for (int i = 0; i < 200; i++) {
      String id = UUID.randomUUID().toString();
      assertEquals(pekko.shardId(id), CallPlacement.shardOf(id, 1000), id);
    }
    assertTrue(Integer.parseInt(CallPlacement.shardOf("x", 1000)) < 1000);
  }

  private static ActorRef allocate(CallShardAllocation allocation, ActorRef requester, String shard,
      Map<ActorRef, IndexedSeq<String>> current) throws Exception {
    return Await.result(allocation.allocateShard(requester, shard, current),
        scala.concurrent.duration.Duration.fromNanos(Duration.ofSeconds(5).toNanos()));
  }

  private static java.util.Set<String> rebalance(CallShardAllocation allocation,
      Map<ActorRef, IndexedSeq<String>> current) throws Exception {
    return CollectionConverters.asJava(Await.result(allocation.rebalance(current,
            scala.collection.immutable.Set$.MODULE$.<String>empty()),
        scala.concurrent.duration.Duration.fromNanos(Duration.ofSeconds(10).toNanos())));
  }

  /** A shard region that answers what its shards hold: entity counts by shard id. */
  private static ActorRef answeringRegion(java.util.Map<String, Integer> entitiesByShard) {
    java.util.Map<String, Object> stats = new LinkedHashMap<>(entitiesByShard);
    ShardRegion.ShardRegionStats answer = new ShardRegion.ShardRegionStats(
        scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(stats)));
    return ((org.apache.pekko.actor.ExtendedActorSystem) Adapter.toClassic(testKit.system())).systemActorOf(
        Props.create(StatsAnswer.class, () -> new StatsAnswer(answer)),
        "region-" + UUID.randomUUID());
  }

  static final class StatsAnswer extends AbstractActor {
    private final ShardRegion.ShardRegionStats answer;

    StatsAnswer(ShardRegion.ShardRegionStats answer) {
      this.answer = answer;
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(query -> getSender().tell(answer, getSelf())).build();
    }
  }

  private static ActorRef region(String name) {
    return Adapter.toClassic(testKit.createTestProbe(name).getRef());
  }

  /** The coordinator's view: shards by region, as Scala collections. */
  @SuppressWarnings("unchecked")
  private static Map<ActorRef, IndexedSeq<String>> allocations(ActorRef first, List<String> firstShards,
      ActorRef second, List<String> secondShards) {
    java.util.Map<ActorRef, IndexedSeq<String>> byRegion = new LinkedHashMap<>();
    byRegion.put(first, CollectionConverters.asScala(firstShards).toIndexedSeq());
    byRegion.put(second, CollectionConverters.asScala(secondShards).toIndexedSeq());
    return (Map<ActorRef, IndexedSeq<String>>) scala.collection.immutable.Map$.MODULE$
        .from(CollectionConverters.asScala(byRegion));
  }
}
