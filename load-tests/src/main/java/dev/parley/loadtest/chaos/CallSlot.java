package dev.parley.loadtest.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.robot.CloseStatus;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.RobotCallException;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.WireFormat;

/**
 * One of the run's concurrent callers: makes a call through node {@code slot % N}, connects its
 * socket there (even slots) or to the next node (odd slots: the socket's node and the call's node
 * can then die apart), speaks tagged turns with pauses, and hangs up once the chaos is over and it
 * has spoken one more turn; while the chaos lasts, a call that used up its turns is followed by a
 * new one. A turn spoken across a reconnect of the caller's socket is said again when the assistant
 * stays silent once the caller is back, as a person on a line that dropped would. A turn without a
 * reply within the robot's timeout is left unanswered and the next one follows. Every wait is
 * bounded by the robot's timeouts.
 */
final class CallSlot implements Runnable {

  /** What the slots share with the run. */
  record Stage(LocalCluster cluster, String apiKey, String assistantId, List<byte[]> taggedTurns,
      RobotOptions options, HttpClient http, ChaosSettings settings, AtomicBoolean over,
      Map<String, RobotCaller> live, List<ChaosCall> finished) {}

  private static final int ATTEMPTS = 6;
  private static final long RETRY_MILLIS = 1_000;
  /** A caller back on a line that dropped waits this long to hear the assistant before saying it again. */
  private static final java.time.Duration REPEAT_PATIENCE = java.time.Duration.ofMillis(1500);
  private static final int REPEATS = 2;
  /** What the nodes say to a caller back after a cut (their setting, from the same configuration). */
  private static final String ASKED_AGAIN =
      dev.parley.call.live.LiveSettings.of(com.typesafe.config.ConfigFactory.load()).reconnectPrompt();

  private final Stage stage;
  private final int slot;

  CallSlot(Stage stage, int slot) {
    this.stage = stage;
    this.slot = slot;
  }

  @Override
  public void run() {
    do {
      ChaosCall call = oneCall();
      stage.finished().add(call);
      if (call.callId() == null) {
        return;
      }
    } while (!stage.over().get());
  }

  private ChaosCall oneCall() {
    int nodes = stage.cluster().size();
    int apiNode = slot % nodes;
    ParleyApi.CreatedCall created;
    try {
      created = create(apiNode);
    } catch (RobotCallException | InterruptedException e) {
      return ChaosCall.notStarted("POST /call failed on every node: " + e.getMessage());
    }
    int socketNode = slot % 2 == 0 ? apiNode : (apiNode + 1) % nodes;
    RobotCaller robot;
    try {
      robot = connect(created, socketNode);
    } catch (RobotCallException | InterruptedException e) {
      return new ChaosCall(created.id(), null, List.of(), false, "no socket: " + e.getMessage());
    }
    stage.live().put(created.id(), robot);
    try {
      return converse(created.id(), robot);
    } finally {
      stage.live().remove(created.id());
      robot.close();
    }
  }

  private ChaosCall converse(String callId, RobotCaller robot) {
    List<Integer> spoken = new ArrayList<>();
    try {
      awaitReply(robot);
      for (int tag = 0; tag < stage.settings().turnsPerCall(); tag++) {
        boolean last = stage.over().get();
        spoken.add(tag);
        sayUntilAnswered(robot, stage.taggedTurns().get(tag));
        if (last) {
          break;
        }
        Thread.sleep(stage.settings().pause().toMillis());
      }
      robot.endCall();
      CloseStatus closed = robot.awaitClosed();
      boolean completed = closed.code() == 1000;
      return new ChaosCall(callId, robot, spoken, completed, completed ? null : "closed " + closed);
    } catch (RobotCallException e) {
      return new ChaosCall(callId, robot, spoken, false, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ChaosCall(callId, robot, spoken, false, "interrupted");
    }
  }

  /** Says a turn and waits for its reply (see {@link RobotCaller#sayUntilAnswered}); see {@link #unlessOver}. */
  private static void sayUntilAnswered(RobotCaller robot, byte[] turn) {
    unlessOver(robot, () -> robot.sayUntilAnswered(turn, REPEAT_PATIENCE, REPEATS,
        ASKED_AGAIN.isEmpty() ? null : ASKED_AGAIN));
  }

  /** Waits for the current reply; see {@link #unlessOver}. */
  private static void awaitReply(RobotCaller robot) {
    unlessOver(robot, robot::awaitReplyFinished);
  }

  /** Runs a wait for a reply: one that does not come is let go unless the call is over. */
  private static void unlessOver(RobotCaller robot, Runnable wait) {
    try {
      wait.run();
    } catch (RobotCallException e) {
      if (robot.recording().closeStatus() != null) {
        throw e;
      }
    }
  }

  private ParleyApi.CreatedCall create(int firstNode) throws InterruptedException {
    RobotCallException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int node = (firstNode + attempt) % stage.cluster().size();
      try {
        return new ParleyApi(stage.cluster().httpBase(node), stage.apiKey(), stage.http())
            .createCall(stage.assistantId(), WireFormat.PCM_16K);
      } catch (RobotCallException e) {
        last = e;
        Thread.sleep(RETRY_MILLIS);
      }
    }
    throw last;
  }

  private RobotCaller connect(ParleyApi.CreatedCall call, int firstNode) throws InterruptedException {
    RobotCallException last = null;
    URI url = call.websocketCallUrl();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int node = (firstNode + attempt) % stage.cluster().size();
      URI onNode = URI.create("ws://127.0.0.1:" + stage.cluster().httpBase(node).getPort() + url.getRawPath()
          + "?" + url.getRawQuery());
      try {
        return RobotCaller.connect(call.id(), onNode, stage.http(), stage.options());
      } catch (RobotCallException e) {
        last = e;
        Thread.sleep(RETRY_MILLIS);
      }
    }
    throw last;
  }
}
