package dev.parley.persistence.cassandra.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra server for dev and tests, run as a child JVM on loopback (in-process it
 * clashes with Pekko's dependencies and calls System.exit on errors).
 *
 * <p>{@link #start} reuses a server already running on the same data directory, waits out one
 * that is still draining after its owner died, and otherwise checks the directory, the ports and
 * free memory before starting a new one and waiting until CQL answers. A started server is
 * stopped by {@link #close()}, and exits on its own when this process dies, kill -9 included.
 */
public final class EmbeddedCassandra implements AutoCloseable {

  static final String SERVER_MAIN_CLASS = "dev.parley.cassandra.EmbeddedCassandraMain";
  /** First JVM option of every server we start: the JDK truncates long command lines it reports. */
  static final String SERVER_MARKER = "-Dparley.embedded-cassandra=true";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private static final Duration POLL = Duration.ofMillis(100);
  // Strong references to started servers: a collected Process closes the server's stdin, and the
  // server takes that for its owner's death.
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  private final EmbeddedCassandraSettings settings;
  private final Optional<Process> process;
  private final long pid;
  private volatile boolean stopped;

  private EmbeddedCassandra(EmbeddedCassandraSettings settings, Optional<Process> process, long pid) {
    this.settings = settings;
    this.process = process;
    this.pid = pid;
  }

  /** Blocking, for start-up and test set-up only: returns once CQL accepts connections. */
  public static EmbeddedCassandra start(EmbeddedCassandraSettings settings) {
    HostChecks.requireWritableDirectory(settings.dataDir());
    Optional<ServerRecord> existing = ServerRecord.read(settings.dataDir());
    if (existing.isPresent() && existing.get().serverAlive()) {
      ServerRecord running = existing.get();
      if (running.ownerAlive() || !settings.exitWithOwner()) {
        return reuse(settings, running);
      }
      waitForExit(running.pid(), settings.stopTimeout().multipliedBy(2));
    }
    return launch(settings);
  }

  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(settings.host(), settings.cqlPort());
  }

  /** "host:port", the form the driver's contact-points take. */
  public String contactPointString() {
    return settings.host() + ":" + settings.cqlPort();
  }

  public long pid() {
    return pid;
  }

  /** False when this handle reuses a server another process started; such a server is not ours to stop. */
  public boolean ownsServer() {
    return process.isPresent();
  }

  public EmbeddedCassandraSettings settings() {
    return settings;
  }

  /**
   * Stops the server at JVM shutdown, after {@code first} completes (e.g. the actor system's
   * termination, so the journal is flushed before its database goes away).
   */
  public void stopOnJvmShutdown(CompletionStage<?> first) {
    Thread hook = new Thread(() -> {
      try {
        first.toCompletableFuture().get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("Stopping Cassandra without waiting any longer for shutdown: {}", e.toString());
      }
      close();
    }, "parley-cassandra-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Stops a server this handle started (SIGTERM, so it drains); idempotent. */
  @Override
  public synchronized void close() {
    if (stopped || process.isEmpty()) {
      stopped = true;
      return;
    }
    stopped = true;
    Process p = process.get();
    long started = System.nanoTime();
    p.destroy();
    try {
      if (!p.waitFor(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Cassandra (pid {}) did not stop within {}; killing it", pid, settings.stopTimeout());
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    ServerRecord.delete(settings.dataDir(), pid);
    STARTED.remove(p);
    log.info("Cassandra (pid {}) stopped in {} ms", pid, (System.nanoTime() - started) / 1_000_000);
  }

  private static EmbeddedCassandra reuse(EmbeddedCassandraSettings settings, ServerRecord running) {
    EmbeddedCassandraSettings actual = settings.withPorts(running.cqlPort(), running.storagePort());
    Instant deadline = Instant.now().plus(settings.startTimeout());
    while (!HostChecks.accepts(running.host(), running.cqlPort())) {
      if (!running.serverAlive()) {
        return launch(settings);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new EmbeddedCassandraException("Cassandra (pid " + running.pid() + ") runs on "
            + settings.dataDir() + " but its CQL port " + running.cqlPort() + " did not answer within "
            + settings.startTimeout() + ". See " + ServerFiles.logs(settings.dataDir()));
      }
      sleep(POLL);
    }
    log.info("Reusing Cassandra (pid {}) already running on {}", running.pid(), settings.dataDir());
    return new EmbeddedCassandra(actual, Optional.empty(), running.pid());
  }

  private static EmbeddedCassandra launch(EmbeddedCassandraSettings settings) {
    if (settings.serverClasspath().isBlank()) {
      throw new EmbeddedCassandraException("No Cassandra server classpath is configured: set "
          + EmbeddedCassandraSettings.CONFIG_PATH + ".lib-dir (the distribution's cassandra/lib) "
          + "or .classpath-file (embedded-cassandra/target/cassandra.classpath).");
    }
    HostChecks.requireFreePort(settings.host(), settings.cqlPort(), "CQL", "PARLEY_CASSANDRA_PORT");
    HostChecks.requireFreePort(
        settings.host(), settings.storagePort(), "storage", "PARLEY_CASSANDRA_STORAGE_PORT");
    HostChecks.requireMemory(settings.heapMegabytes());
    ServerFiles.write(settings);

    Process process;
    long started = System.nanoTime();
    try {
      ProcessBuilder builder = new ProcessBuilder(command(settings))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(ServerFiles.consoleLog(settings.dataDir()).toFile()));
      // stdin stays a pipe: the server's owner watch sees end-of-file when this JVM dies
      process = builder.start();
      STARTED.add(process);
    } catch (IOException e) {
      throw new EmbeddedCassandraException("Cannot start the Cassandra JVM: " + e.getMessage(), e);
    }
    EmbeddedCassandra server = new EmbeddedCassandra(settings, Optional.of(process), process.pid());
    new ServerRecord(process.pid(), ProcessHandle.current().pid(), settings.host(),
        settings.cqlPort(), settings.storagePort()).write(settings.dataDir());
    log.info("Starting Cassandra (pid {}) on {}:{}, data in {}",
        process.pid(), settings.host(), settings.cqlPort(), settings.dataDir());
    try {
      awaitCql(settings, process);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    log.info("Cassandra (pid {}) accepts CQL after {} ms", process.pid(), (System.nanoTime() - started) / 1_000_000);
    return server;
  }

  private static void awaitCql(EmbeddedCassandraSettings settings, Process process) {
    Instant deadline = Instant.now().plus(settings.startTimeout());
    while (!HostChecks.accepts(settings.host(), settings.cqlPort())) {
      if (!process.isAlive()) {
        throw new EmbeddedCassandraException("Cassandra exited with code " + process.exitValue()
            + " while starting. Last lines of " + ServerFiles.consoleLog(settings.dataDir()) + ":\n"
            + tail(ServerFiles.consoleLog(settings.dataDir()), 25) + explainFailure(settings));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new EmbeddedCassandraException("Cassandra did not accept CQL on " + settings.host() + ":"
            + settings.cqlPort() + " within " + settings.startTimeout() + ". See "
            + ServerFiles.logs(settings.dataDir()) + " (a slow disk? raise PARLEY_CASSANDRA_START_TIMEOUT)");
      }
      sleep(POLL);
    }
  }

  private static String explainFailure(EmbeddedCassandraSettings settings) {
    String console = tail(ServerFiles.consoleLog(settings.dataDir()), 200);
    if (console.contains("Cannot allocate memory") || console.contains("OutOfMemoryError")
        || console.contains("Could not reserve enough space")) {
      return "\nThe machine ran out of memory for Cassandra's " + settings.heapMegabytes()
          + " MiB heap: free memory or lower PARLEY_CASSANDRA_HEAP.";
    }
    if (console.contains("Address already in use")) {
      return "\nA port Cassandra needs is taken: set PARLEY_CASSANDRA_PORT / PARLEY_CASSANDRA_STORAGE_PORT.";
    }
    return "";
  }

  static List<String> command(EmbeddedCassandraSettings s) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    // own session: a Ctrl-C in the terminal reaches the node, which then stops Cassandra in order
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(java.toString());
    cmd.add(SERVER_MARKER);
    cmd.add("-Xms" + s.heapMegabytes() + "m");
    cmd.add("-Xmx" + s.heapMegabytes() + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xss256k");
    cmd.add("-XX:+HeapDumpOnOutOfMemoryError");
    cmd.add("-XX:HeapDumpPath=" + ServerFiles.logs(s.dataDir()));
    cmd.addAll(Jdk17ServerOptions.LIST);
    cmd.add("-Dcassandra.config=" + ServerFiles.conf(s.dataDir()).resolve("cassandra.yaml").toUri());
    cmd.add("-Dcassandra.storagedir=" + s.dataDir());
    cmd.add("-Dcassandra.logdir=" + ServerFiles.logs(s.dataDir()));
    cmd.add("-Dcassandra-foreground=yes");
    cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    cmd.add("-Dcassandra.ring_delay_ms=100");
    cmd.add("-Dlogback.configurationFile=" + ServerFiles.conf(s.dataDir()).resolve("logback.xml"));
    cmd.add("-Dparley.exit-with-owner=" + s.exitWithOwner());
    cmd.add("-cp");
    cmd.add(s.serverClasspath());
    cmd.add(SERVER_MAIN_CLASS);
    return cmd;
  }

  private static void waitForExit(long pid, Duration timeout) {
    log.info("Cassandra (pid {}) on this data directory is shutting down after its owner died; waiting", pid);
    ProcessHandle.of(pid).ifPresent(h -> {
      try {
        h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("Cassandra (pid {}) still running after {}; killing it", pid, timeout);
        h.destroyForcibly();
      }
    });
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedCassandraException("Interrupted while waiting for Cassandra", e);
    }
  }
}
