package dev.parley.persistence.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.cassandra.CassandraDriverConfig;
import dev.parley.persistence.cassandra.CassandraSchema;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandra;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraSettings;

/**
 * One real Cassandra per test JVM, on free ports and a throw-away directory, stopped and deleted
 * when the JVM exits. Each test takes its own keyspace, so tests share the server but no state.
 */
public final class TestCassandra {

  private static EmbeddedCassandra server;
  private static Path dataDir;

  private TestCassandra() {}

  /** Blocking on first use (test set-up): starts the shared server. */
  public static synchronized EmbeddedCassandra server() {
    if (server == null) {
      dataDir = newDataDir("shared");
      server = start(settings(dataDir));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        deleteRecursively(dataDir);
      }, "test-cassandra-stop"));
    }
    return server;
  }

  /** Settings for a server of a test's own: fresh ports, small heap, the given directory. */
  public static EmbeddedCassandraSettings settings(Path dir) {
    return EmbeddedCassandraSettings.fromConfig(ConfigFactory.load())
        .withDataDir(dir)
        .withPorts(freePort(), freePort())
        .withHeapMegabytes(256);
  }

  public static EmbeddedCassandra start(EmbeddedCassandraSettings settings) {
    return EmbeddedCassandra.start(settings);
  }

  public static Path newDataDir(String name) {
    try {
      Path base = Path.of("target", "test-cassandra").toAbsolutePath();
      Files.createDirectories(base);
      return Files.createTempDirectory(base, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String uniqueKeyspace(String prefix) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return (prefix + "_" + suffix).toLowerCase(Locale.ROOT);
  }

  /**
   * Configuration for a single-node cluster actor system on the shared server, in the given
   * keyspace; {@code overrides} win over everything else.
   */
  public static Config config(String keyspace, Config overrides) {
    Config testDefaults = ConfigFactory.parseMap(Map.of(
        "parley.cassandra.keyspace", keyspace,
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on",
        "pekko.coordinated-shutdown.exit-jvm", "off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
        "pekko.loglevel", "INFO"));
    Config unresolved = overrides
        .withFallback(CassandraDriverConfig.contactPoints(server().contactPointString()))
        .withFallback(testDefaults)
        .withFallback(ConfigFactory.parseResources("parley-persistence.conf"));
    return ConfigFactory.load(unresolved);
  }

  /** Blocking test set-up: the system has joined itself and its schema exists. */
  public static <T> ActorSystem<T> startSystem(Behavior<T> guardian, String name, Config config) {
    ActorSystem<T> system = ActorSystem.create(guardian, name, config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await(CassandraSchema.createAll(system, List.of()).toCompletableFuture(), Duration.ofSeconds(60));
    return system;
  }

  public static void dropKeyspace(ActorSystem<?> system, String keyspace) {
    await(CassandraSchema.executeDDL(system, "DROP KEYSPACE IF EXISTS " + keyspace).toCompletableFuture(),
        Duration.ofSeconds(90));
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Test set-up failed: " + e, e);
    }
  }
}
