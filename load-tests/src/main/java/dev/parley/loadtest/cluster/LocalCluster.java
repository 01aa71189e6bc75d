package dev.parley.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * N Parley nodes as separate JVMs on loopback, one cluster on a Cassandra the caller runs: each
 * node has its own HTTP, remoting and management ports, all share one data directory, and every
 * node lists all N remoting addresses as seed nodes, so a restarted node joins the others again
 * (see {@link #seedNodes} for their order).
 * Node 0 starts first (it writes the dev keys into the data directory), then the rest; {@link
 * #start} returns once all N are Up members. Nodes can be killed (SIGKILL), stopped (SIGTERM: a
 * graceful leave) and restarted on their ports. Every wait is bounded.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(LocalClusterSettings.of(3, "127.0.0.1:9042", "chaos", dir))) {
 *   cluster.kill(cluster.hostOf(callId).getAsInt());
 *   cluster.restart(...);
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long STOP_GRACE_SECONDS = 60;
  private static final int LOG_TAIL_LINES = 30;
  /** Exit value of a node that found one of its ports taken (Main's start-up refusal). */
  private static final int CANNOT_START = 2;
  private static final int START_ATTEMPTS = 5;

  private final LocalClusterSettings settings;
  private final List<NodeProcess> nodes;
  private final LoopbackHttp http = new LoopbackHttp();

  private LocalCluster(LocalClusterSettings settings, List<NodeProcess> nodes) {
    this.settings = settings;
    this.nodes = nodes;
  }

  /** Blocking: starts every node and returns when all are Up; on failure, kills what it started. */
  public static LocalCluster start(LocalClusterSettings settings) {
    try {
      Files.createDirectories(settings.dataDir());
      Files.createDirectories(settings.logDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<NodeProcess> nodes = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < settings.nodes(); i++) {
      nodes.add(new NodeProcess(i, freePort(taken), freePort(taken), freePort(taken),
          settings.logDir().resolve("node-" + i + ".log")));
    }
    LocalCluster cluster = new LocalCluster(settings, nodes);
    try {
      cluster.launch(0);
      cluster.awaitReady(0);
      for (int i = 1; i < nodes.size(); i++) {
        cluster.launch(i);
      }
      for (int i = 1; i < nodes.size(); i++) {
        cluster.awaitReady(i);
      }
      cluster.awaitAllUp();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public int size() {
    return nodes.size();
  }

  public LocalClusterSettings settings() {
    return settings;
  }

  /** {@code http://127.0.0.1:<http port>} of node {@code i}. */
  public URI httpBase(int i) {
    return URI.create("http://127.0.0.1:" + nodes.get(i).httpPort);
  }

  public URI managementBase(int i) {
    return URI.create("http://127.0.0.1:" + nodes.get(i).managementPort);
  }

  public List<URI> httpBases() {
    return nodes.stream().map(n -> httpBase(n.index)).toList();
  }

  /** The node whose HTTP port {@code port} is, if any. */
  public OptionalInt nodeWithHttpPort(int port) {
    return nodes.stream().filter(n -> n.httpPort == port).mapToInt(n -> n.index).findFirst();
  }

  public boolean isAlive(int i) {
    return nodes.get(i).isAlive();
  }

  public long pid(int i) {
    Process process = nodes.get(i).process();
    return process == null ? -1 : process.pid();
  }

  public java.nio.file.Path log(int i) {
    return nodes.get(i).log;
  }

  /** SIGKILL (kill -9) and wait until the process is gone; returns its exit value (137). */
  public int kill(int i) {
    Process process = requireRunning(i);
    try {
      return Signals.kill9(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted killing node " + i, e);
    }
  }

  /** SIGTERM (coordinated shutdown: the node leaves the cluster) and wait for the exit, bounded. */
  public int stop(int i) {
    Process process = requireRunning(i);
    try {
      return Signals.terminate(process, STOP_GRACE_SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping node " + i, e);
    }
  }

  /**
   * Starts node {@code i} again on its ports (stopping it gracefully first if it still runs) and
   * waits until it is ready and all nodes are Up members.
   */
  public void restart(int i) {
    if (isAlive(i)) {
      stop(i);
    }
    launch(i);
    awaitReady(i);
    awaitAllUp();
  }

  /**
   * The live node whose {@code Call} shard region holds {@code callId}'s shard, as its management
   * route lists it; empty when no live node does (the shard is between homes).
   */
  public OptionalInt hostOf(String callId) {
    String shard = shardOf(callId, settings.numberOfShards());
    for (NodeProcess node : nodes) {
      if (node.isAlive() && shardsOn(node.index).contains(shard)) {
        return OptionalInt.of(node.index);
      }
    }
    return OptionalInt.empty();
  }

  /** Pekko's default shard of an entity: |hashCode % number-of-shards|, as a string. */
  public static String shardOf(String entityId, int numberOfShards) {
    return Integer.toString(Math.abs(entityId.hashCode() % numberOfShards));
  }

  /** The shard ids of {@code Call} that node {@code i} hosts now (empty when it does not answer). */
  public Set<String> shardsOn(int i) {
    Set<String> shards = new HashSet<>();
    http.get(managementBase(i).resolve("/cluster/shards/Call"))
        .filter(reply -> reply.status() == 200)
        .ifPresent(reply -> readTree(reply.body()).path("regions")
            .forEach(region -> shards.add(region.path("shardId").asText())));
    return shards;
  }

  /** Waits (bounded by the ready timeout) until every node is running and sees all N nodes Up. */
  public void awaitAllUp() {
    Set<String> expected = nodes.stream().map(NodeProcess::remotingAddress).collect(Collectors.toSet());
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    String last = "no answer yet";
    while (true) {
      last = membershipProblem(expected);
      if (last == null) {
        return;
      }
      for (NodeProcess node : nodes) {
        if (!node.isAlive()) {
          throw new IllegalStateException("node " + node.index + " is not running while waiting for all nodes to be Up ("
              + last + "); its log " + node.log + " ends:\n" + node.logTail(LOG_TAIL_LINES));
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the cluster did not show all " + nodes.size() + " nodes Up within "
            + settings.readyTimeout() + ": " + last);
      }
      pause();
    }
  }

  /** Kills every node still running. */
  @Override
  public void close() {
    for (NodeProcess node : nodes) {
      Process process = node.process();
      if (process != null && process.isAlive()) {
        try {
          Signals.kill9(process);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }

  /** Null when every node sees exactly the expected members, all Up and reachable; else what is off. */
  private String membershipProblem(Set<String> expected) {
    for (NodeProcess node : nodes) {
      var reply = http.get(managementBase(node.index).resolve("/cluster/members"));
      if (reply.isEmpty() || reply.get().status() != 200) {
        return "node " + node.index + "'s management route does not answer yet";
      }
      JsonNode members = readTree(reply.get().body());
      Set<String> up = new HashSet<>();
      Set<String> all = new HashSet<>();
      for (JsonNode member : members.path("members")) {
        all.add(member.path("node").asText());
        if (member.path("status").asText().equals("Up")) {
          up.add(member.path("node").asText());
        }
      }
      if (!up.equals(expected) || !all.equals(expected) || !members.path("unreachable").isEmpty()) {
        return "node " + node.index + " sees members " + members.path("members") + ", unreachable "
            + members.path("unreachable");
      }
    }
    return null;
  }

  /** Starts node {@code i} with {@link #seedNodes} as they are for this start. */
  private void launch(int i) {
    nodes.get(i).start(settings, seedNodes(i));
  }

  /**
   * All N remoting addresses. The first seed node forms a new cluster when no other seed answers in
   * time, which a busy machine can make a restarted node do (an island). So the list starts with
   * node 0 while node 0 is starting the cluster, and otherwise with the node after {@code i}: a
   * node that is not first only ever joins others.
   */
  private String seedNodes(int i) {
    boolean forming = i == 0 && nodes.stream().noneMatch(NodeProcess::isAlive);
    int first = forming ? 0 : (i + 1) % nodes.size();
    List<String> seeds = new ArrayList<>();
    for (int k = 0; k < nodes.size(); k++) {
      seeds.add(nodes.get((first + k) % nodes.size()).remotingAddress());
    }
    return String.join(",", seeds);
  }

  /**
   * Waits until node {@code i} answers {@code /health/ready} with 200. A start refused because one of
   * its ports is still held (a killed node's port lingering) is tried again, a few times.
   */
  private void awaitReady(int i) {
    NodeProcess node = nodes.get(i);
    URI ready = httpBase(i).resolve("/health/ready");
    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    int starts = 1;
    while (true) {
      if (http.get(ready).map(reply -> reply.status() == 200).orElse(false)) {
        return;
      }
      if (!node.isAlive()) {
        int exit = node.process().exitValue();
        if (exit != CANNOT_START || starts == START_ATTEMPTS) {
          throw new IllegalStateException("node " + i + " exited (" + exit + ") before it was ready; its log "
              + node.log + " ends:\n" + node.logTail(LOG_TAIL_LINES));
        }
        pause();
        starts++;
        launch(i);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("node " + i + " was not ready within " + settings.readyTimeout()
            + "; its log " + node.log + " ends:\n" + node.logTail(LOG_TAIL_LINES));
      }
      pause();
    }
  }

  private Process requireRunning(int i) {
    Process process = nodes.get(i).process();
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("node " + i + " is not running");
    }
    return process;
  }

  private static JsonNode readTree(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static int freePort(Set<Integer> taken) {
    for (int tries = 0; tries < 100; tries++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port after 100 tries");
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
  }
}
