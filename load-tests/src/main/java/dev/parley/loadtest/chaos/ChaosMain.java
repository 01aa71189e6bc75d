package dev.parley.loadtest.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigFactory;

import dev.parley.loadtest.bench.BenchArgs;
import dev.parley.loadtest.cluster.JavaClasspath;
import dev.parley.loadtest.cluster.LocalClusterSettings;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandra;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraSettings;

/**
 * The chaos benchmark from a command line (see {@code load-tests/chaos.sh}): runs {@link ChaosRunner}
 * and prints its {@link ChaosReport}. Without {@code --cassandra} it starts an embedded Cassandra
 * under the work directory ({@code parley.cassandra.embedded.*}, e.g. PARLEY_CASSANDRA_LIB_DIR) and
 * stops it at the end. Durations are HOCON durations (8s, 1500ms, 10m).
 *
 * <p>Usage: {@code ChaosMain --work-dir=DIR --node-classpath=CP [--nodes=3] [--calls=20] [--kill-every=8s]
 * [--kills=3] [--duration=0s] [--seed=1] [--turns=40] [--pause=1500ms] [--reconnect-window=30s]
 * [--cassandra=host:port] [--node-heap=512m]}
 */
public final class ChaosMain {

  private static final String[] OPTIONS = {"work-dir", "node-classpath", "nodes", "calls", "kill-every", "kills",
      "duration", "seed", "turns", "pause", "reconnect-window", "cassandra", "node-heap",
      "node-settings", "restart-after"};

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    ChaosSettings settings;
    try {
      settings = parse(new BenchArgs(args, OPTIONS));
    } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("ChaosMain: " + e.getMessage());
      System.err.println("usage: ChaosMain --work-dir=DIR --node-classpath=CP [--nodes=3] [--calls=20] [--kill-every=8s]"
          + " [--kills=3] [--duration=0s] [--seed=1] [--turns=40] [--pause=1500ms] [--reconnect-window=30s]"
          + " [--cassandra=host:port] [--node-heap=512m] [--node-settings=key=value,key=value] [--restart-after=0s]");
      System.exit(2);
      return;
    }
    EmbeddedCassandra cassandra = null;
    if (settings.cassandraContactPoint().isEmpty()) {
      cassandra = EmbeddedCassandra.start(EmbeddedCassandraSettings.fromConfig(ConfigFactory.load())
          .withDataDir(settings.workDir().resolve("cassandra")).withPorts(freePort(), freePort()));
      settings = settings.withCassandra(cassandra.contactPointString());
      System.out.println("cassandra: embedded at " + cassandra.contactPointString());
    }
    try {
      ChaosRunner.run(settings).print(System.out);
    } finally {
      if (cassandra != null) {
        cassandra.close();
      }
    }
    System.exit(0);
  }

  static ChaosSettings parse(BenchArgs cli) throws java.io.IOException {
    String workDir = cli.option("work-dir", null);
    if (workDir == null) {
      throw new IllegalArgumentException("--work-dir is required (the nodes' data and logs go there)");
    }
    Path work = Files.createDirectories(Path.of(workDir)).toAbsolutePath();
    String heap = cli.option("node-heap", "512m");
    List<String> jvm = LocalClusterSettings.SMALL_JVM.stream().map(o -> o.startsWith("-Xmx") ? "-Xmx" + heap : o).toList();
    // a turn left unanswered for 20 s (spoken into a dead socket) is let go before the call's 30 s
    // silence timeout ends the call: a person would say something again too
    return new ChaosSettings(integer(cli, "nodes", 3), integer(cli, "calls", 20), duration(cli, "kill-every", "8s"),
        integer(cli, "kills", 3), duration(cli, "duration", "0s"), integer(cli, "seed", 1), integer(cli, "turns", 40),
        duration(cli, "pause", "1500ms"), Duration.ofSeconds(20), duration(cli, "reconnect-window", "30s"),
        cli.option("cassandra", ""), "chaos_" + System.currentTimeMillis(), work,
        cli.option("node-classpath", JavaClasspath.current()), jvm, nodeSettings(cli.option("node-settings", "")),
        duration(cli, "restart-after", "0s"));
  }

  /** {@code key=value,key=value}: settings the nodes get as {@code -D} properties, over the run's own. */
  static Map<String, String> nodeSettings(String list) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    for (String pair : list.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("--node-settings takes key=value pairs separated by commas, not '" + pair + "'");
      }
      settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return settings;
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int integer(BenchArgs cli, String name, int fallback) {
    String value = cli.option(name, Integer.toString(fallback));
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
    }
  }

  private static Duration duration(BenchArgs cli, String name, String fallback) {
    String value = cli.option(name, fallback);
    return ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"").getDuration("d");
  }
}
