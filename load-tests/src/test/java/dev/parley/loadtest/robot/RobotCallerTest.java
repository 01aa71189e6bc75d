package dev.parley.loadtest.robot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.audio.MuLaw;

/** The robot against the loopback server: pacing, turns, barge-in, messages, formats, failures. */
class RobotCallerTest {

  private static final byte[] TURN = Tones.sine(1_000, 300, 8_000);
  private static final RobotOptions OPTIONS = RobotOptions.defaults().withWaitTimeout(Duration.ofSeconds(20));
  private static final String SILENT = "silent";
  private static final String ANSWERING = "answering";
  private static final String NO_SPEECH_UPDATES = "no-speech-updates";
  private static final String LONG_REPLIES = "long-replies";

  private static LoopbackCallServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new LoopbackCallServer(Map.of(
        SILENT, new LoopbackSession.Script(0, 0, 200, 0, true),
        ANSWERING, new LoopbackSession.Script(10, 15, 200, 100, true),
        NO_SPEECH_UPDATES, new LoopbackSession.Script(10, 15, 200, 100, false),
        LONG_REPLIES, new LoopbackSession.Script(5, 150, 200, 0, true)));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void sendsOneFramePerTwentyMillisecondsOfElapsedTime() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), SILENT, OPTIONS)) {
      Thread.sleep(1_000);
      robot.close();
      long[] sent = robot.recording().sentFrameNanos();
      List<LoopbackSession.Arrival> arrivals = awaitArrivals(robot, sent.length);

      assertTrue(sent.length >= 25, "sent only " + sent.length + " frames in a second");
      double meanInterval = (sent[sent.length - 1] - sent[0]) / 1e6 / (sent.length - 1);
      assertTrue(meanInterval > 15 && meanInterval < 30, "frames every " + meanInterval + " ms on average");
      double arrivalInterval = (arrivals.get(arrivals.size() - 1).atNanos() - arrivals.get(0).atNanos()) / 1e6
          / (arrivals.size() - 1);
      assertTrue(arrivalInterval > 15 && arrivalInterval < 30, "frames arrived every " + arrivalInterval + " ms");
      assertTrue(arrivals.stream().allMatch(a -> a.bytes().length == 640 && !a.loud()), "silent 640-byte frames");
    }
  }

  @Test
  void voiceToVoiceRunsFromTheLastSpeechFrameSentToTheFirstReplyFrame() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), ANSWERING, OPTIONS)) {
      Utterance firstMessage = robot.awaitReplyFinished();
      TurnTiming timing = robot.sayAndAwaitReply(TURN);
      Utterance reply = robot.assistantUtterances().get(1);

      assertEquals(10, firstMessage.frameCount());
      assertEquals(15, timing.turn().frames());
      assertEquals(15, reply.frameCount());
      assertEquals(reply.firstFrameNanos(), timing.firstReplyFrameNanos());
      // the server waits 200 ms of quiet and then 100 ms before it answers
      double v2v = timing.voiceToVoiceMillis().orElseThrow();
      assertTrue(v2v >= 300 && v2v < 10_000, "voice-to-voice " + v2v + " ms");
      assertEquals(List.of(timing), robot.turnTimings());
      assertEquals(reply.lastFrameNanos(), robot.lastAssistantFrameNanos());
    }
  }

  @Test
  void aReplyEndsAfterQuietWhenNoSpeechUpdateSaysSo() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), NO_SPEECH_UPDATES, OPTIONS)) {
      Utterance firstMessage = robot.awaitReplyFinished();
      TurnTiming timing = robot.sayAndAwaitReply(TURN);

      assertTrue(robot.messages("speech-update").isEmpty());
      assertEquals(10, firstMessage.frameCount());
      assertTrue(timing.answered());
      assertEquals(25, robot.recording().frames().size());
    }
  }

  @Test
  void bargeInStartsSpeakingTheGivenDelayAfterTheReplyBegan() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), LONG_REPLIES, OPTIONS)) {
      robot.awaitReplyFinished();
      robot.say(TURN);
      long replyStart = robot.awaitReplyStarted();
      int bargeIn = robot.bargeIn(TURN, Duration.ofMillis(400));
      SpokenTurn spoken = robot.awaitSpoken(bargeIn);
      robot.awaitMessage("user-interrupted", 0);

      double startedAfter = (spoken.firstFrameNanos() - replyStart) / 1e6;
      assertTrue(startedAfter >= 400 && startedAfter < 3_000, "barge-in began " + startedAfter + " ms into the reply");
      Utterance interrupted = robot.assistantUtterances().stream()
          .filter(u -> u.firstFrameNanos() == replyStart).findFirst().orElseThrow();
      assertTrue(interrupted.frameCount() < 150, "the interrupted reply played all " + interrupted.frameCount() + " frames");
    }
  }

  @Test
  void recordsEveryMessageInArrivalOrder() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), ANSWERING, OPTIONS)) {
      robot.awaitReplyFinished();
      robot.sayAndAwaitReply(TURN);
      ObjectNode addMessage = JsonNodeFactory.instance.objectNode().put("type", "add-message");
      addMessage.putObject("message").put("role", "system").put("content", "Be brief.");
      robot.send(addMessage);
      robot.send(JsonNodeFactory.instance.objectNode().put("type", "bogus"));
      robot.awaitMessage("error", 0);
      robot.endCall();
      CloseStatus close = robot.awaitClosed();

      assertEquals(1000, close.code());
      assertEquals(List.of("status-update", "speech-update", "speech-update", "transcript", "speech-update",
          "speech-update", "conversation-update", "error", "status-update", "end-of-call-report"),
          robot.recording().messages().stream().map(ReceivedMessage::type).toList());
      assertEquals("turn 0", robot.messages("transcript").get(0).json().path("transcript").asText());
      assertEquals("Be brief.", robot.messages("conversation-update").get(0).json().at("/messages/0/content").asText());
      assertEquals("Unknown control message type: bogus", robot.messages("error").get(0).json().path("message").asText());
      assertEquals("customer-ended-call", robot.messages("status-update").get(1).json().path("endedReason").asText());
      List<ReceivedMessage> all = robot.recording().messages();
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i).atNanos() >= all.get(i - 1).atNanos(), "times in arrival order");
      }
      assertEquals(List.of("add-message", "bogus", "end-call"),
          server.session(robot.callId()).controls().stream().map(c -> c.path("type").asText()).toList());
    }
  }

  @Test
  void mulawCallsSendAndReceive160ByteFramesOfTheSameSound() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), ANSWERING, OPTIONS.withFormat(WireFormat.MULAW_8K))) {
      Utterance firstMessage = robot.awaitReplyFinished();
      int turn = robot.say(Tones.sine(1_000, 400, 8_000));
      robot.awaitSpoken(turn);
      List<LoopbackSession.Arrival> loud = awaitLoudArrivals(robot, 20);

      assertTrue(firstMessage.frames().stream().allMatch(f -> f.length() == 160));
      byte[] heard = firstMessage.pcm16k(WireFormat.MULAW_8K);
      assertEquals(10 * 640, heard.length);
      assertNear(8_000 / Math.sqrt(2), LoopbackSession.rms(java.util.Arrays.copyOfRange(heard, 640, heard.length - 640)));
      assertTrue(server.session(robot.callId()).arrivals().stream().allMatch(a -> a.bytes().length == 160));
      byte[] spoken = new byte[0];
      for (LoopbackSession.Arrival arrival : loud) {
        spoken = concat(spoken, MuLaw.decode(arrival.bytes()));
      }
      byte[] middle = java.util.Arrays.copyOfRange(spoken, 320, spoken.length - 320);
      assertNear(8_000 / Math.sqrt(2), LoopbackSession.rms(middle));
      assertNear(2_000, zeroCrossingsPerSecond(middle, 8_000));
    }
  }

  @Test
  void aPausedTurnIsOneTurnWithSilenceInside() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), SILENT, OPTIONS)) {
      int turn = robot.say(TURN, Duration.ofMillis(500), TURN);
      SpokenTurn spoken = robot.awaitSpoken(turn);

      assertEquals(15 + 25 + 15, spoken.frames());
      List<LoopbackSession.Arrival> loud = awaitLoudArrivals(robot, 30);
      double loudSpanMs = (loud.get(29).atNanos() - loud.get(0).atNanos()) / 1e6;
      assertTrue(loudSpanMs >= 500, "the pause was kept: loud frames spread over " + loudSpanMs + " ms");
    }
  }

  @Test
  void waitingForAReplyThatNeverComesFailsWithWhatWasReceived() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), SILENT, OPTIONS.withWaitTimeout(Duration.ofMillis(1500)))) {
      robot.say(TURN);
      RobotCallException failure = assertThrows(RobotCallException.class, robot::awaitReplyFinished);

      String message = failure.getMessage();
      assertTrue(message.startsWith("Timed out after 1500 ms waiting for the assistant's reply to turn 0 to finish"), message);
      assertTrue(message.contains("0 audio frames"), message);
      assertTrue(message.contains("status-update status=in-progress"), message);
      assertTrue(message.contains("1/1 turns spoken; socket open"), message);
    }
  }

  @Test
  void aWaitFailsAtOnceWhenTheServerClosesTheSocket() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), SILENT, OPTIONS)) {
      robot.endCall();
      robot.awaitClosed();
      RobotCallException failure = assertThrows(RobotCallException.class, () -> robot.awaitMessage("transcript"));

      assertTrue(failure.getMessage().startsWith("The call's socket closed 1000"), failure.getMessage());
      assertTrue(failure.getMessage().contains("before a 'transcript' message; received"), failure.getMessage());
    }
  }

  @Test
  void connectsWithABearerKeyInsteadOfTheUrlToken() throws Exception {
    ParleyApi.CreatedCall call = server.api().createCall(SILENT, WireFormat.PCM_16K);
    try (RobotCaller robot = RobotCaller.connect(call.id(), call.websocketCallUrl(), server.api().http(),
        OPTIONS.withBearerKey(LoopbackCallServer.API_KEY))) {
      assertTrue(server.session(call.id()).openedWithKey());
    }
    ParleyApi.CreatedCall other = server.api().createCall(SILENT, WireFormat.PCM_16K);
    RobotCallException refused = assertThrows(RobotCallException.class, () -> RobotCaller.connect(other.id(),
        other.websocketCallUrl(), server.api().http(), OPTIONS.withBearerKey("wrong")));
    assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
    assertFalse(refused.getMessage().contains(other.websocketCallUrl().getQuery()), "the token stays out of messages");
    JsonNode read = server.api().getCall(call.id());
    assertEquals(call.id(), read.path("id").asText());
  }

  @Test
  void aScriptPlaysItsStepsInOrder() throws Exception {
    try (RobotCaller robot = RobotCaller.dial(server.api(), ANSWERING, OPTIONS)) {
      List<TurnTiming> timings = CallScript.create()
          .awaitReply()
          .say(TURN)
          .pause(Duration.ofMillis(200))
          .say(TURN, Duration.ofMillis(100), TURN)
          .control(JsonNodeFactory.instance.objectNode().put("type", "say").put("content", "Hi."))
          .awaitReply()
          .endCall()
          .run(robot);

      assertEquals(2, timings.size());
      assertTrue(timings.stream().allMatch(TurnTiming::answered));
      assertEquals(List.of(10, 15, 15, 15), robot.assistantUtterances().stream().map(Utterance::frameCount).toList());
      assertEquals(1000, robot.recording().closeStatus().code());
    }
  }

  private static List<LoopbackSession.Arrival> awaitArrivals(RobotCaller robot, int count)
      throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<LoopbackSession.Arrival> arrivals = server.session(robot.callId()).arrivals();
      if (arrivals.size() >= count) {
        return arrivals;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server got " + server.session(robot.callId()).arrivals().size() + " of " + count + " frames");
  }

  private static List<LoopbackSession.Arrival> awaitLoudArrivals(RobotCaller robot, int count)
      throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<LoopbackSession.Arrival> loud = server.session(robot.callId()).arrivals().stream()
          .filter(LoopbackSession.Arrival::loud).toList();
      if (loud.size() >= count) {
        return loud;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server did not get " + count + " loud frames");
  }

  private static void assertNear(double expected, double actual) {
    assertTrue(Math.abs(actual - expected) <= 0.1 * expected, "expected about " + expected + ", got " + actual);
  }

  private static double zeroCrossingsPerSecond(byte[] pcm, int rate) {
    int crossings = 0;
    short previous = 0;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      short s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
      if (i > 0 && (previous < 0) != (s < 0)) {
        crossings++;
      }
      previous = s;
    }
    return crossings * (double) rate / (pcm.length / 2);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
