package dev.parley.node.downing;

import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A {@link ShardedMember} in a JVM of its own, to be killed: arguments are its remoting port and
 * the address to join (its own to start a cluster).
 */
public final class ShardedMemberProcess {

  private ShardedMemberProcess() {}

  public static void main(String[] args) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ShardedMember.SYSTEM,
        ShardedMember.config(Integer.parseInt(args[0])));
    Cluster.get(system).manager().tell(Join.create(AddressFromURIString.parse(args[1])));
    ShardedMember.start(system);
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
