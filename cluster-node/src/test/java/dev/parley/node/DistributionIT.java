package dev.parley.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.parley.persistence.testkit.TestCassandra;

/**
 * The packaged node (bin/parley-node) as a user runs it: first start, Ctrl-C, a warm start on the
 * same data, kill -9, a second node on a taken port. Every start brings its own embedded Cassandra.
 */
class DistributionIT {

  private static final Duration START_WITHIN = Duration.ofMinutes(4);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Path dataDir;
  private Map<String, String> env;
  private int httpPort;
  private final List<Process> started = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() {
    dataDir = TestCassandra.newDataDir("dist");
    httpPort = TestCassandra.freePort();
    env = new HashMap<>();
    env.put("PARLEY_DATA_DIR", dataDir.toString());
    env.put("PARLEY_HTTP_PORT", Integer.toString(httpPort));
    env.put("PARLEY_CLUSTER_PORT", Integer.toString(TestCassandra.freePort()));
    env.put("PARLEY_MANAGEMENT_PORT", Integer.toString(TestCassandra.freePort()));
    env.put("PARLEY_CASSANDRA_PORT", Integer.toString(TestCassandra.freePort()));
    env.put("PARLEY_CASSANDRA_STORAGE_PORT", Integer.toString(TestCassandra.freePort()));
    env.put("PARLEY_CASSANDRA_HEAP", "256m");
    env.put("PARLEY_JAVA_OPTS", "-Xmx512m");
  }

  @AfterEach
  void tearDown() {
    started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
    started.forEach(Process::destroyForcibly);
    TestCassandra.deleteRecursively(dataDir);
  }

  @Test
  void startsStopsOnCtrlCRestartsOnTheSameDataAndLeavesNoOrphanAfterKill9() throws Exception {
    // first start
    Process node = startNode("first");
    awaitReady(node, "first");
    String key = Files.readString(dataDir.resolve("dev-api-key")).strip();
    assertTrue(key.startsWith("sk_") && key.length() > 40, key);
    assertTrue(output("first").contains("Dev API key: " + key), output("first"));
    long cassandraPid = cassandraPid();
    assertNotEquals(node.pid(), cassandraPid);

    // Ctrl-C: the node stops, then stops its Cassandra, and removes the server record
    signal(node, "INT");
    assertTrue(node.waitFor(90, TimeUnit.SECONDS), "node still running after SIGINT");
    assertTrue(awaitExit(cassandraPid, Duration.ofSeconds(60)), "Cassandra left running after Ctrl-C");
    assertFalse(Files.exists(serverRecord()));

    // warm start: same data, same key
    node = startNode("second");
    awaitReady(node, "second");
    assertEquals(key, Files.readString(dataDir.resolve("dev-api-key")).strip());
    assertTrue(Files.isDirectory(dataDir.resolve("cassandra/data/parley")), "keyspace data kept");
    long secondCassandra = cassandraPid();

    // kill -9: no shutdown hook runs, yet Cassandra follows its owner
    node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertTrue(awaitExit(secondCassandra, Duration.ofSeconds(90)), "Cassandra orphaned by kill -9");

    // and the next start is not blocked by anything the killed node left behind
    node = startNode("third");
    awaitReady(node, "third");
    long thirdCassandra = cassandraPid();
    signal(node, "TERM");
    assertTrue(node.waitFor(90, TimeUnit.SECONDS));
    assertTrue(awaitExit(thirdCassandra, Duration.ofSeconds(60)), "Cassandra left running after SIGTERM");
    assertFalse(Files.exists(serverRecord()));
  }

  @Test
  void aSecondNodeOnTheSamePortsExitsWithAReasonAndLeavesTheFirstRunning() throws Exception {
    Process first = startNode("first");
    awaitReady(first, "first");
    long cassandraPid = cassandraPid();

    // the same settings again, as a second ./run in another terminal would use
    Process second = startNode("second");
    assertTrue(second.waitFor(120, TimeUnit.SECONDS), "second node should give up");
    assertEquals(2, second.exitValue());
    assertTrue(output("second").contains("parley: cannot start: the HTTP port 127.0.0.1:" + httpPort
        + " is already in use (is another node running?). Stop it or set PARLEY_HTTP_PORT."), output("second"));

    assertTrue(ProcessHandle.of(cassandraPid).map(ProcessHandle::isAlive).orElse(false),
        "the second node must not stop a Cassandra it did not start");
    assertEquals(200, status("/health/ready"));
    signal(first, "TERM");
    assertTrue(first.waitFor(90, TimeUnit.SECONDS));
    assertTrue(awaitExit(cassandraPid, Duration.ofSeconds(60)));
  }

  private Process startNode(String name) throws IOException {
    Path script = Path.of(System.getProperty("parley.dist.dir"), "bin", "parley-node");
    // Background jobs of non-interactive shells inherit SIGINT as ignored, and the JVM then cannot
    // handle Ctrl-C; perl (essential on Debian) restores the default before exec, as a terminal would.
    ProcessBuilder builder = new ProcessBuilder("perl", "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die $!",
        script.toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(dataDir.resolve(name + ".log").toFile());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private void awaitReady(Process node, String name) throws Exception {
    Instant deadline = Instant.now().plus(START_WITHIN);
    while (Instant.now().isBefore(deadline)) {
      if (!node.isAlive()) {
        throw new AssertionError("node exited with " + node.exitValue() + ":\n" + output(name));
      }
      if (status("/health/ready") == 200 && output(name).contains("Parley is ready")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not ready within " + START_WITHIN + ":\n" + output(name));
  }

  private int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String output(String name) throws IOException {
    return Files.readString(dataDir.resolve(name + ".log"));
  }

  private Path serverRecord() {
    return dataDir.resolve("cassandra").resolve("server.properties");
  }

  private long cassandraPid() throws IOException {
    Properties record = new Properties();
    try (var in = Files.newInputStream(serverRecord())) {
      record.load(in);
    }
    return Long.parseLong(record.getProperty("pid"));
  }

  private static void signal(Process process, String signal) throws Exception {
    // perl exec'd the script, which exec'd java: the pid is the JVM's
    Process kill = new ProcessBuilder("perl", "-e", "kill '" + signal + "', " + process.pid() + " or die $!").start();
    assertEquals(0, kill.waitFor());
  }

  private static boolean awaitExit(long pid, Duration within) {
    return ProcessHandle.of(pid)
        .map(h -> h.onExit().completeOnTimeout(null, within.toMillis(), TimeUnit.MILLISECONDS).join() != null)
        .orElse(true);
  }
}
