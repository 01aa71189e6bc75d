package dev.parley.node.call;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import com.typesafe.config.ConfigFactory;

import dev.parley.node.NodeConfig;
import dev.parley.persistence.cassandra.CassandraDriverConfig;

/**
 * Reads calls' journals in Cassandra from outside a cluster: an actor system of its own with the
 * nodes' journal and serialization settings, not a cluster member, running no projection.
 */
final class JournalReader implements AutoCloseable {

  private final ActorSystem<Void> system;

  private JournalReader(ActorSystem<Void> system) {
    this.system = system;
  }

  static JournalReader start(String contactPoint, String keyspace) {
    var config = NodeConfig.load("dev", ConfigFactory.parseMap(Map.of(
        "parley.cassandra.embedded.enabled", false,
        "parley.cassandra.contact-points", contactPoint,
        "parley.cassandra.keyspace", keyspace,
        "pekko.actor.provider", "local",
        "pekko.coordinated-shutdown.exit-jvm", "off")));
    return new JournalReader(ActorSystem.create(Behaviors.empty(), "journal-reader",
        CassandraDriverConfig.fromParleyConfig(config).withFallback(config)));
  }

  /** Blocking (test assertion). */
  List<Object> events(String callId) throws Exception {
    return CallJournal.events(system, callId);
  }

  /** A call's events counted by their class's simple name. */
  Map<String, Long> eventCounts(String callId) throws Exception {
    return events(callId).stream()
        .collect(Collectors.groupingBy(e -> e.getClass().getSimpleName(), Collectors.counting()));
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a reader that does not stop in time only leaks threads until the test JVM exits
    }
  }
}
