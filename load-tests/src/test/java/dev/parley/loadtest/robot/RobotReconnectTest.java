package dev.parley.loadtest.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.loadtest.robot.ScriptedSocketServer.Close;
import dev.parley.loadtest.robot.ScriptedSocketServer.Drop;
import dev.parley.loadtest.robot.ScriptedSocketServer.Refuse;
import dev.parley.loadtest.robot.ScriptedSocketServer.Serve;

/**
 * The robot's socket breaks on one node (a reset connection, or close 1012) and it reopens the same
 * path and query on the next; busy refusals are retried, an ended call or a normal close stops it.
 */
class RobotReconnectTest {

  private static final byte[] TURN = Tones.sine(1_000, 300, 8_000);
  private static final RobotOptions OPTIONS = RobotOptions.defaults().withWaitTimeout(Duration.ofSeconds(20));
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final String ANSWERING = "answering";
  /** Says no first message: on a new socket the robot hears nothing until it speaks. */
  private static final String QUIET_START = "quiet-start";
  /** On every new socket, asks the caller to say it again (as the platform does after a cut). */
  private static final String ASKS_AGAIN = "asks-again";
  private static final String ASKED_AGAIN = "Sorry, I lost you for a moment. Could you say that again?";
  /** Answers the first turn of a socket by asking for it again, with no reconnect of the caller's own. */
  private static final String FIRST_TURN_ASKED_AGAIN = "first-turn-asked-again";

  private static LoopbackCallServer platform;

  @BeforeAll
  static void startServer() throws Exception {
    platform = new LoopbackCallServer(Map.of(ANSWERING, new LoopbackSession.Script(10, 15, 200, 100, true),
        QUIET_START, new LoopbackSession.Script(0, 15, 200, 100, true),
        ASKS_AGAIN, new LoopbackSession.Script(10, 15, 200, 100, true, ASKED_AGAIN),
        FIRST_TURN_ASKED_AGAIN, new LoopbackSession.Script(10, 15, 200, 100, true, null, ASKED_AGAIN)));
  }

  @AfterAll
  static void stopServer() throws Exception {
    platform.close();
  }

  @Test
  void aResetConnectionIsReopenedOnTheNextNodeWithTheSamePathAndQuery() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(ANSWERING, WireFormat.PCM_16K);
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(300)))) {
      try (RobotCaller robot = connectThrough(dying, call)) {
        robot.awaitReplyFinished();
        robot.sayAndAwaitReply(TURN);
        robot.endCall();
        CloseStatus closed = robot.awaitClosed();

        assertEquals(1000, closed.code(), robot.recording().summary());
        List<SocketReconnect> reconnects = robot.reconnects();
        assertEquals(1, reconnects.size(), reconnects.toString());
        SocketReconnect reconnect = reconnects.get(0);
        assertTrue(reconnect.reopened(), reconnect.toString());
        assertEquals(platform.baseUrl(), reconnect.node());
        assertEquals(1, reconnect.attempts());
        assertEquals(CloseStatus.FAILED, reconnect.cause().code(), "a reset connection fails the socket: " + reconnect);
        assertTrue(reconnect.reopenedNanos() - reconnect.brokeNanos() > 0);
        assertEquals(call.websocketCallUrl().getRawPath(), URI.create(robot.socketUrl().toString()).getRawPath());
        assertEquals(call.websocketCallUrl().getRawQuery(), robot.socketUrl().getRawQuery());
        assertEquals(List.of(call.websocketCallUrl().getRawPath() + "?" + call.websocketCallUrl().getRawQuery()),
            dying.requestTargets());
        assertTrue(dying.binaryFrames() > 0, "frames went to the first node before it died");
        assertTrue(platform.session(call.id()).arrivals().stream().anyMatch(LoopbackSession.Arrival::loud),
            "the turn went over the new socket");
      }
    }
  }

  @Test
  void aTurnSpokenIntoASocketThatDiedIsSaidAgainOnTheNewOne() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(QUIET_START, WireFormat.PCM_16K);
    // the whole turn goes to the first node, which dies after it
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(1_500)))) {
      try (RobotCaller robot = connectThrough(dying, call)) {
        int said = robot.sayUntilAnswered(TURN, Duration.ofMillis(500), 2);

        assertEquals(2, said, robot.recording().summary());
        assertEquals(1, robot.reconnects().size());
        assertTrue(platform.session(call.id()).arrivals().stream().anyMatch(LoopbackSession.Arrival::loud),
            "the turn said again went over the new socket");
        long repeatStart = robot.recording().turns().get(1).firstFrameNanos();
        assertTrue(repeatStart - robot.reconnects().get(0).reopenedNanos() >= Duration.ofMillis(500).toNanos(),
            "the robot waited for a sign it was heard first");
        assertTrue(robot.recording().firstFrameAfter(robot.recording().turns().get(1).lastFrameNanos()) != 0,
            "and was answered");
      }
    }
  }

  @Test
  void aCallerAskedToSayItAgainAfterAReconnectSaysItAgainAtOnce() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(ASKS_AGAIN, WireFormat.PCM_16K);
    Duration patience = Duration.ofSeconds(8);
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(1_500)))) {
      try (RobotCaller robot = connectThrough(dying, call)) {
        int said = robot.sayUntilAnswered(TURN, patience, 2, ASKED_AGAIN);

        assertEquals(2, said, robot.recording().summary());
        long repeatStart = robot.recording().turns().get(1).firstFrameNanos();
        assertTrue(repeatStart - robot.reconnects().get(0).reopenedNanos() < patience.toNanos(),
            "it said the turn again when asked, not after its patience ran out");
        assertTrue(robot.recording().firstFrameAfter(robot.recording().turns().get(1).lastFrameNanos()) != 0,
            "and was answered");
      }
    }
  }

  /**
   * The call, not the caller's socket, may have lost the turn (its node died while the socket held,
   * or the socket reopened before the turn began): asked again, the robot says it again all the same.
   */
  @Test
  void aCallerAskedToSayItAgainWithNoReconnectDuringTheTurnSaysItAgain() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(FIRST_TURN_ASKED_AGAIN, WireFormat.PCM_16K);
    try (RobotCaller robot = connectDirectly(call)) {
      robot.awaitReplyFinished();

      assertEquals(2, robot.sayUntilAnswered(TURN, Duration.ofSeconds(8), 2, ASKED_AGAIN),
          robot.recording().summary());
      assertEquals(List.of(), robot.reconnects());
    }
  }

  @Test
  void aReplyAfterAReconnectThatDoesNotAskAgainAnswersTheTurn() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(ANSWERING, WireFormat.PCM_16K);
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(1_500)))) {
      try (RobotCaller robot = connectThrough(dying, call)) {
        assertEquals(1, robot.sayUntilAnswered(TURN, Duration.ofSeconds(8), 2, ASKED_AGAIN),
            robot.recording().summary());
      }
    }
  }

  @Test
  void aTurnOnASocketThatHeldIsSaidOnce() throws Exception {
    ParleyApi.CreatedCall call = platform.api().createCall(ANSWERING, WireFormat.PCM_16K);
    try (RobotCaller robot = connectDirectly(call)) {
      robot.awaitReplyFinished();
      assertEquals(1, robot.sayUntilAnswered(TURN, Duration.ofMillis(500), 2), robot.recording().summary());
      assertEquals(1, robot.recording().turns().size());
    }
  }

  @Test
  void busyRefusalsAreRetriedAfterARestartClose() throws Exception {
    String busy = "Call 42 already has a live connection";
    try (ScriptedSocketServer leaving = new ScriptedSocketServer(List.of(new Close(1012, "node leaving: reconnect", 200)));
        ScriptedSocketServer other = new ScriptedSocketServer(List.of(new Refuse(409, busy), new Refuse(409, busy),
            new Refuse(409, busy), new Serve()))) {
      URI url = URI.create(leaving.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(leaving.baseUrl(), other.baseUrl()), WINDOW));
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), options)) {
        SocketReconnect reconnect = robot.recording().await(
            () -> robot.reconnects().isEmpty() ? null : robot.reconnects().get(0), WINDOW, "a reconnect");

        assertTrue(reconnect.reopened(), reconnect.toString());
        assertEquals(4, reconnect.attempts(), "three busy refusals, then in: " + reconnect);
        assertEquals(1012, reconnect.cause().code());
        assertEquals("node leaving: reconnect", reconnect.cause().reason());
        assertEquals(other.baseUrl(), reconnect.node());
        assertEquals(List.of("/call/42/transport?token=t0k", "/call/42/transport?token=t0k",
            "/call/42/transport?token=t0k", "/call/42/transport?token=t0k"), other.requestTargets());
        int before = other.binaryFrames();
        robot.recording().await(() -> other.binaryFrames() > before + 5 ? true : null, WINDOW, "frames on the new socket");
        assertNull(robot.recording().closeStatus());
      }
    }
  }

  @Test
  void anEndedCallStopsTheReconnectWithTheBreakAsTheClose() throws Exception {
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(200)));
        ScriptedSocketServer other = new ScriptedSocketServer(List.of(new Refuse(409, "Call 42 has ended")))) {
      URI url = URI.create(dying.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(dying.baseUrl(), other.baseUrl()), WINDOW));
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), options)) {
        CloseStatus closed = robot.awaitClosed();

        assertEquals(CloseStatus.FAILED, closed.code());
        assertTrue(closed.reason().contains("not reconnected") && closed.reason().contains("has ended"), closed.reason());
        assertEquals(1, robot.reconnects().size());
        assertFalse(robot.reconnects().get(0).reopened());
        assertEquals(1, robot.reconnects().get(0).attempts());
      }
    }
  }

  @Test
  void aNormalCloseBeforeTheCallEndedIsABreak() throws Exception {
    try (ScriptedSocketServer leaving = new ScriptedSocketServer(List.of(new Close(1000, "node leaving", 200)));
        ScriptedSocketServer other = new ScriptedSocketServer(List.of(new Serve()))) {
      URI url = URI.create(leaving.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(leaving.baseUrl(), other.baseUrl()), WINDOW));
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), options)) {
        robot.recording().await(() -> robot.reconnects().stream().anyMatch(SocketReconnect::reopened) ? true : null,
            Duration.ofSeconds(20), "the robot on the other node");

        assertEquals(List.of("/call/42/transport?token=t0k"), other.requestTargets());
        assertNull(robot.recording().closeStatus());
      }
    }
  }

  @Test
  void aNormalCloseAfterTheCallEndedIsTheEndOfTheCall() throws Exception {
    try (ScriptedSocketServer ending = new ScriptedSocketServer(List.of(new Close(1000, "call ended", 200,
        "{\"type\":\"status-update\",\"status\":\"ended\",\"endedReason\":\"customer-ended-call\"}")));
        ScriptedSocketServer other = new ScriptedSocketServer(List.of(new Serve()))) {
      URI url = URI.create(ending.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(ending.baseUrl(), other.baseUrl()), WINDOW));
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), options)) {
        CloseStatus closed = robot.awaitClosed();

        assertEquals(1000, closed.code());
        assertEquals("call ended", closed.reason());
        assertTrue(robot.reconnects().isEmpty());
        assertTrue(other.requestTargets().isEmpty());
      }
    }
  }

  @Test
  void withNoNodeToReachTheRobotGivesUpWhenTheWindowPasses() throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort());
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(200), new Refuse(503, "starting")))) {
      URI url = URI.create(dying.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(dying.baseUrl(), nowhere),
          Duration.ofMillis(1500)));
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), options)) {
        robot.say(TURN);
        CloseStatus closed = robot.awaitClosed();

        assertEquals(CloseStatus.FAILED, closed.code());
        assertTrue(closed.reason().contains("window passed"), closed.reason());
        SocketReconnect reconnect = robot.reconnects().get(0);
        assertFalse(reconnect.reopened());
        assertTrue(reconnect.attempts() >= 2, "both nodes were tried: " + reconnect);
        assertTrue(dying.requestTargets().size() >= 2, "the restarting node was tried again: " + dying.requestTargets());
        assertTrue(robot.recording().droppedFrames() > 0, "the robot kept speaking into the gap");
      }
    }
  }

  @Test
  void withoutReconnectOptionsABreakEndsTheCall() throws Exception {
    try (ScriptedSocketServer dying = new ScriptedSocketServer(List.of(new Drop(200)));
        ScriptedSocketServer other = new ScriptedSocketServer(List.of(new Serve()))) {
      URI url = URI.create(dying.baseUrl().toString().replace("http", "ws") + "/call/42/transport?token=t0k");
      try (RobotCaller robot = RobotCaller.connect("42", url, platform.api().http(), OPTIONS)) {
        CloseStatus closed = robot.awaitClosed();

        assertEquals(CloseStatus.FAILED, closed.code());
        assertTrue(robot.reconnects().isEmpty());
        assertTrue(other.requestTargets().isEmpty());
      }
    }
  }

  /** A robot whose socket opens on {@code first} and, when that breaks, reopens on the platform. */
  /** Connects straight to the loopback platform, reconnecting to it if the socket breaks. */
  private static RobotCaller connectDirectly(ParleyApi.CreatedCall call) {
    RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(platform.baseUrl()), WINDOW));
    return RobotCaller.connect(call.id(), call.websocketCallUrl(), platform.api().http(), options);
  }

  private static RobotCaller connectThrough(ScriptedSocketServer first, ParleyApi.CreatedCall call) {
    URI url = CallSocket.onNode(first.baseUrl(), call.websocketCallUrl());
    RobotOptions options = OPTIONS.withReconnect(ReconnectOptions.to(List.of(first.baseUrl(), platform.baseUrl()), WINDOW));
    return RobotCaller.connect(call.id(), url, platform.api().http(), options);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
