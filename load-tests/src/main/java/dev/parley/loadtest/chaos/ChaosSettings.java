package dev.parley.loadtest.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.parley.loadtest.cluster.JavaClasspath;
import dev.parley.loadtest.cluster.LocalClusterSettings;

/**
 * One chaos run: {@code nodes} node JVMs, {@code calls} robot calls at once, a random node killed
 * (kill -9) and restarted every {@code killEvery} until {@code kills} kills or {@code duration} has
 * passed (zero: no time limit), chosen with {@code seed}. A call speaks tagged turns with
 * {@code pause} between them, at most {@code turnsPerCall} (then its slot starts a new call while
 * the chaos lasts), and one more turn once the chaos is over before it hangs up.
 *
 * @param replyTimeout how long a robot waits for a reply to one turn before it speaks the next
 * @param reconnectWindow the nodes' reconnect window, and how long a robot tries to reconnect
 * @param cassandraContactPoint {@code host:port} of the Cassandra the nodes use
 * @param keyspace a fresh keyspace for the run
 * @param workDir the cluster's data and logs
 * @param classpath the nodes' classpath
 * @param jvmOptions the nodes' JVM options
 * @param properties more {@code -D} settings for the nodes (win over the run's own)
 * @param restartAfter how long a killed node stays down: on one machine a restarting JVM takes the
 *     cores the survivors need for the failover, which a node on a machine of its own would not
 */
public record ChaosSettings(int nodes, int calls, Duration killEvery, int kills, Duration duration, long seed,
    int turnsPerCall, Duration pause, Duration replyTimeout, Duration reconnectWindow, String cassandraContactPoint,
    String keyspace, Path workDir, String classpath, List<String> jvmOptions, Map<String, String> properties,
    Duration restartAfter) {

  public ChaosSettings {
    if (nodes < 2) {
      throw new IllegalArgumentException("chaos needs at least 2 nodes (a survivor), not " + nodes);
    }
    if (calls < 1 || turnsPerCall < 1) {
      throw new IllegalArgumentException("chaos needs calls and turns: " + calls + " calls, " + turnsPerCall + " turns");
    }
    if (kills < 1 && duration.isZero()) {
      throw new IllegalArgumentException("give a kill count or a duration, or the chaos never ends");
    }
    if (turnsPerCall > dev.parley.loadtest.loopback.TurnTags.COUNT) {
      throw new IllegalArgumentException("a call has at most " + dev.parley.loadtest.loopback.TurnTags.COUNT
          + " tagged turns, not " + turnsPerCall);
    }
    jvmOptions = List.copyOf(jvmOptions);
    properties = Map.copyOf(properties);
  }

  /**
   * The short form ./test runs: 3 nodes, 20 calls, 3 kills, one every 8 s (after the previous
   * restart); a turn left unanswered for 20 s is let go; the platform's 30 s reconnect window.
   */
  public static ChaosSettings shortForm(String cassandraContactPoint, String keyspace, Path workDir) {
    return new ChaosSettings(3, 20, Duration.ofSeconds(8), 3, Duration.ZERO, 1, 40, Duration.ofMillis(1500),
        Duration.ofSeconds(20), Duration.ofSeconds(30), cassandraContactPoint, keyspace, workDir,
        JavaClasspath.current(), LocalClusterSettings.SMALL_JVM, Map.of(), Duration.ZERO);
  }

  /** The same run against the Cassandra at {@code contactPoint} (known only once it is up). */
  public ChaosSettings withCassandra(String contactPoint) {
    return new ChaosSettings(nodes, calls, killEvery, kills, duration, seed, turnsPerCall, pause, replyTimeout,
        reconnectWindow, contactPoint, keyspace, workDir, classpath, jvmOptions, properties, restartAfter);
  }
}
