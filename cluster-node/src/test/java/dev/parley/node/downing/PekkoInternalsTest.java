package dev.parley.node.downing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.ActorRef;
import org.junit.jupiter.api.Test;

/** A Pekko upgrade that renames what the takeover sends fails here first, by name. */
class PekkoInternalsTest {

  @Test
  void everyMessageTheTakeoverSendsExistsInThisPekko() {
    assertTrue(PekkoInternals.AVAILABLE, "DelayedMemberRemoved(Member) and RegionStopped(ActorRef)");
    assertEquals("org.apache.pekko.cluster.sharding.ShardCoordinator$Internal$RegionStopped",
        PekkoInternals.regionStopped(ActorRef.noSender()).getClass().getName());
    assertEquals("org.apache.pekko.cluster.sharding.ShardCoordinator$Internal$StateInitialized$",
        PekkoInternals.stateInitialized().orElseThrow().getClass().getName());
  }
}
