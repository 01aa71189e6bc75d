package dev.parley.loadtest.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.robot.RobotCaller;

/**
 * The chaos: every {@code killEvery} (counted from when the cluster was whole again) it kills a
 * random node with kill -9, noting which live calls it hosted and which callers' sockets it held,
 * restarts it on its ports and waits until all nodes are Up again. It stops after the kill count,
 * the duration, or once every caller has finished, and then marks the chaos over (at the last
 * counted kill already, so callers finish while that node restarts). A node that died
 * without being killed (downed by the split brain resolver) is counted and restarted.
 */
final class NodeKiller implements Runnable {

  /**
   * One kill.
   *
   * @param hostedCalls live calls whose entity the node hosted (by its shard list just before)
   * @param socketCalls live calls whose caller's socket was on the node
   * @param wholeAgainNanos when the restarted node was ready and all nodes Up (0 if never)
   * @param failure why the cluster did not become whole again (null when it did)
   */
  record Kill(int node, long atNanos, int exitValue, Set<String> hostedCalls, Set<String> socketCalls,
      long wholeAgainNanos, String failure) {}

  private static final long TICK_MILLIS = 100;

  private final LocalCluster cluster;
  private final ChaosSettings settings;
  private final Map<String, RobotCaller> live;
  private final AtomicBoolean over;
  private final BooleanSupplier callersDone;
  private final List<Kill> kills = new ArrayList<>();
  private int unexpectedExits;

  NodeKiller(LocalCluster cluster, ChaosSettings settings, Map<String, RobotCaller> live, AtomicBoolean over,
      BooleanSupplier callersDone) {
    this.cluster = cluster;
    this.settings = settings;
    this.live = live;
    this.over = over;
    this.callersDone = callersDone;
  }

  synchronized List<Kill> kills() {
    return List.copyOf(kills);
  }

  synchronized int unexpectedExits() {
    return unexpectedExits;
  }

  @Override
  public void run() {
    Random random = new Random(settings.seed());
    long started = System.nanoTime();
    try {
      while ((settings.kills() < 1 || kills().size() < settings.kills()) && waitForNextKill(started)) {
        restartUnexpectedExits();
        // after the last kill the callers may finish while the node restarts
        boolean lastKill = settings.kills() > 0 && kills().size() == settings.kills() - 1;
        Kill kill = killAndRestart(random.nextInt(cluster.size()), lastKill);
        synchronized (this) {
          kills.add(kill);
        }
        if (kill.failure() != null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      over.set(true);
    }
  }

  private Kill killAndRestart(int node, boolean lastKill) {
    Set<String> shards = cluster.shardsOn(node);
    int port = cluster.httpBase(node).getPort();
    Set<String> hosted = new HashSet<>();
    Set<String> sockets = new HashSet<>();
    live.forEach((callId, robot) -> {
      if (shards.contains(LocalCluster.shardOf(callId, cluster.settings().numberOfShards()))) {
        hosted.add(callId);
      }
      if (robot.socketUrl().getPort() == port) {
        sockets.add(callId);
      }
    });
    long at = System.nanoTime();
    int exit = cluster.kill(node);
    if (lastKill) {
      over.set(true);
    }
    try {
      Thread.sleep(settings.restartAfter().toMillis());
      cluster.restart(node);
      return new Kill(node, at, exit, hosted, sockets, System.nanoTime(), null);
    } catch (RuntimeException e) {
      return new Kill(node, at, exit, hosted, sockets, 0, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Kill(node, at, exit, hosted, sockets, 0, "interrupted before its restart");
    }
  }

  private void restartUnexpectedExits() {
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.isAlive(i)) {
        synchronized (this) {
          unexpectedExits++;
        }
        cluster.restart(i);
      }
    }
  }

  /** Sleeps one kill interval; false when the run ends first (its duration passed or callers done). */
  private boolean waitForNextKill(long started) throws InterruptedException {
    long due = System.nanoTime() + settings.killEvery().toNanos();
    while (System.nanoTime() - due < 0) {
      if (callersDone.getAsBoolean() || durationOver(started)) {
        return false;
      }
      Thread.sleep(TICK_MILLIS);
    }
    return !callersDone.getAsBoolean() && !durationOver(started);
  }

  private boolean durationOver(long started) {
    return !settings.duration().isZero() && System.nanoTime() - started > settings.duration().toNanos();
  }
}
