package dev.parley.loadtest.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LocalCluster} runs.
 *
 * @param nodes how many node JVMs
 * @param classpath the nodes' classpath (it must hold {@code dev.parley.node.Main})
 * @param cassandraContactPoint {@code host:port} of a running Cassandra (the nodes start none)
 * @param keyspace the nodes' keyspace
 * @param dataDir the data directory all nodes share (dev API key, call-token secret, credential key)
 * @param logDir where {@code node-<i>.log} files go (each node's stdout and stderr, appended per start)
 * @param properties more {@code -D} settings for every node (provider URLs, reconnect window, SBR...)
 * @param jvmOptions the nodes' JVM options (heap, GC)
 * @param readyTimeout how long a node may take to answer {@code /health/ready} and join
 */
public record LocalClusterSettings(int nodes, String classpath, String cassandraContactPoint, String keyspace,
    Path dataDir, Path logDir, Map<String, String> properties, List<String> jvmOptions, Duration readyTimeout) {

  /** Small heaps and one GC thread: several nodes share a small machine. */
  public static final List<String> SMALL_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");

  public LocalClusterSettings {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
    }
    properties = Map.copyOf(properties);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /** This JVM's classpath, {@code workDir/data} and {@code workDir/logs}, small JVMs, 3 minutes to get ready. */
  public static LocalClusterSettings of(int nodes, String cassandraContactPoint, String keyspace, Path workDir) {
    return new LocalClusterSettings(nodes, JavaClasspath.current(), cassandraContactPoint, keyspace,
        workDir.resolve("data"), workDir.resolve("logs"), Map.of(), SMALL_JVM, Duration.ofMinutes(3));
  }

  public LocalClusterSettings withProperties(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putAll(more);
    return new LocalClusterSettings(nodes, classpath, cassandraContactPoint, keyspace, dataDir, logDir, all,
        jvmOptions, readyTimeout);
  }

  public LocalClusterSettings withClasspath(String value) {
    return new LocalClusterSettings(nodes, value, cassandraContactPoint, keyspace, dataDir, logDir, properties,
        jvmOptions, readyTimeout);
  }

  public LocalClusterSettings withJvmOptions(List<String> value) {
    return new LocalClusterSettings(nodes, classpath, cassandraContactPoint, keyspace, dataDir, logDir, properties,
        value, readyTimeout);
  }

  public LocalClusterSettings withReadyTimeout(Duration value) {
    return new LocalClusterSettings(nodes, classpath, cassandraContactPoint, keyspace, dataDir, logDir, properties,
        jvmOptions, value);
  }

  /** Pekko's {@code number-of-shards} as the nodes will use it (1000 unless a property sets it). */
  public int numberOfShards() {
    return Integer.parseInt(properties.getOrDefault("pekko.cluster.sharding.number-of-shards", "1000"));
  }
}
