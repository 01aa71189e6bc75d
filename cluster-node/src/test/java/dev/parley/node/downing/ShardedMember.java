package dev.parley.node.downing;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * A cluster member with one sharded entity type whose entities answer with the address of the
 * node they run on. A margin and a resolver wait of a minute each: within a test's wait, only the
 * dead-process path downs a member and only the takeover moves its shards.
 */
final class ShardedMember {

  static final String SYSTEM = "takeover";
  static final EntityTypeKey<ActorRef<String>> WHERE = EntityTypeKey.create(classOf(), "Where");

  private ShardedMember() {}

  static Config config(int port) {
    return ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.failure-detector.acceptable-heartbeat-pause = 4s
        pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
        pekko.cluster.split-brain-resolver.stable-after = 60s
        pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
        pekko.cluster.down-removal-margin = 60s
        pekko.cluster.sharding.retry-interval = 250ms
        pekko.loglevel = INFO
        parley.cluster.down-dead-processes {
          enabled = on, probe-timeout = 1s, rewatch-after = 1s, ask-regions-every = 500ms
          start-coordinators-early = [Where]
        }
        """.formatted(port)).withFallback(ConfigFactory.defaultReference());
  }

  /** Starts sharding and both dead-process actors. */
  static void start(ActorSystem<?> system) {
    String self = Cluster.get(system).selfMember().address().toString();
    ClusterSharding.get(system).init(Entity.of(WHERE, context -> Behaviors.<ActorRef<String>>receiveMessage(replyTo -> {
      replyTo.tell(self);
      return Behaviors.same();
    })));
    DeadProcessDowning.startIfEnabled(system);
    DeadProcessTakeover.startIfEnabled(system);
  }

  @SuppressWarnings("unchecked")
  private static Class<ActorRef<String>> classOf() {
    return (Class<ActorRef<String>>) (Class<?>) ActorRef.class;
  }
}
