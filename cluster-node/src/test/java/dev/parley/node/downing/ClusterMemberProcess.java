package dev.parley.node.downing;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

import com.typesafe.config.ConfigFactory;

/**
 * A bare cluster member in a JVM of its own, for tests that kill or pause a process: it joins the
 * seed given as its argument and runs until it is killed.
 */
public final class ClusterMemberProcess {

  private ClusterMemberProcess() {}

  public static void main(String[] args) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "downing",
        DeadProcessDowningTest.memberConfig().withFallback(ConfigFactory.defaultReference()));
    Cluster.get(system).manager().tell(Join.create(
        org.apache.pekko.actor.AddressFromURIString.parse(args[0])));
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
