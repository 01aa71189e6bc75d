package dev.parley.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.CallEntity;
import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.cluster.LocalClusterSettings;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.ReconnectOptions;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.WireFormat;
import dev.parley.persistence.testkit.TestCassandra;

/**
 * Three node processes on loopback share the test Cassandra, and calls outlive their nodes: the
 * node running a call's entity is killed (kill -9) while the caller's socket stays on another
 * node; the node holding the caller's socket is killed and the caller reconnects, or does not
 * and the call ends with its reason; a node leaves gracefully during 20 live calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallFailoverTest {

  private static final Duration RECONNECT_WINDOW = Duration.ofSeconds(10);
  private static final Duration FAILOVER_WAIT = Duration.ofSeconds(120);
  private static final Duration STREAM_DEADLINE = Duration.ofSeconds(8);

  private LocalCluster cluster;
  private RecordingChatServer model;
  private JournalReader journal;
  private String apiKey;
  private String modelAssistant;
  private String scriptedAssistant;
  private final CallerVoice voice = new CallerVoice("rms");

  @BeforeAll
  void startCluster() throws Exception {
    model = new RecordingChatServer();
    Path work = Files.createTempDirectory("parley-failover");
    String keyspace = TestCassandra.uniqueKeyspace("failover");
    LocalClusterSettings settings = LocalClusterSettings.of(3, TestCassandra.server().contactPointString(), keyspace,
        work).withProperties(Map.of(
            "parley.call-actors.providers.openai.base-url", model.baseUrl(),
            "parley.call-actors.providers.openai.api-key", "sk-loopback",
            "parley.call-actors.live.reconnect-window", RECONNECT_WINDOW.toSeconds() + "s",
            "parley.call-actors.ask-timeout", "30s",
            "parley.cluster.failure-detection-pause", "2s",
            "parley.cluster.down-unreachable-after", "2s",
            "parley.cluster.down-removal-margin", "1s",
            // a media stream from a node that died fails this long after its removal: long enough
            // that a caller who reconnects is let in because the node is down, not because of it
            "pekko.stream.materializer.stream-ref.final-termination-signal-deadline", STREAM_DEADLINE.toSeconds() + "s",
            // twenty calls on the two nodes left after one leaves, on a busy two-core machine
            "parley.call-actors.providers.pocketsphinx.max-decoders", "24",
            "parley.call-actors.providers.pocketsphinx.acquire-timeout", "60s"));
    cluster = LocalCluster.start(settings);
    journal = JournalReader.start(TestCassandra.server().contactPointString(), keyspace);
    apiKey = Files.readString(settings.dataDir().resolve("dev-api-key")).strip();
    var withModel = Assistants.weatherDesk();
    withModel.set("model", Assistants.parse("""
        {"provider": "openai", "model": "gpt-test",
         "messages": [{"role": "system", "content": "You answer weather questions."}]}"""));
    modelAssistant = api(0).createAssistant(withModel);
    // callers take turns one after another: the last of twenty waits longer than the default 30 s
    scriptedAssistant = api(0).createAssistant(Assistants.weatherDesk().put("silenceTimeoutSeconds", 300));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (journal != null) {
      journal.close();
    }
    if (model != null) {
      model.close();
    }
  }

  /** Every test starts with three live nodes, whatever the one before it killed. */
  @AfterEach
  void restartKilledNodes() {
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.isAlive(i)) {
        cluster.restart(i);
      }
    }
  }

  @Test
  @Order(1)
  void aCallGoesOnWhenTheNodeRunningItIsKilled() throws Exception {
    ParleyApi.CreatedCall call = api(0).createCall(modelAssistant, WireFormat.PCM_16K);
    int host = hostOf(call.id());
    int socketNode = (host + 1) % cluster.size();
    String firstUser;
    try (RobotCaller robot = RobotCaller.connect(call.id(), onNode(call.websocketCallUrl(), socketNode),
        api(0).http(), RobotOptions.defaults())) {
      robot.awaitReplyFinished();
      int seen = robot.recording().messages().size();
      robot.sayAndAwaitReply(voice.pcm("what is the weather like today"));
      firstUser = VoiceCallEndToEndTest.awaitFinal(robot, "user", seen).json().path("transcript").asText();
      String firstReply = VoiceCallEndToEndTest.awaitReplyFinal(robot, seen).json().path("transcript").asText();
      int statusUpdates = robot.messages("status-update").size();

      int requests = model.requests.size();
      int beforeGap = robot.recording().messages().size();
      cluster.kill(host);
      // the caller speaks into the gap: the socket stays open, the call comes back on a survivor,
      // says so, and then hears what was said meanwhile
      robot.say(voice.pcm("and what about tomorrow"));
      robot.recording().await(() -> robot.messages("status-update").size() > statusUpdates ? true : null,
          FAILOVER_WAIT, "the call in progress again after its node died");
      assertEquals("in-progress", robot.messages("status-update").get(statusUpdates).json().path("status").asText());
      robot.awaitReplyFinished();
      String gapUser = VoiceCallEndToEndTest.awaitFinal(robot, "user", beforeGap).json().path("transcript").asText();
      assertTrue(gapUser.contains("tomorrow"), gapUser);
      robot.endCall();
      robot.awaitClosed();
      assertEquals(List.of(), robot.reconnects(), "the caller's socket never broke");

      List<String> context = context(model.requests.get(requests));
      assertEquals("system: You answer weather questions.", context.get(0));
      assertEquals(List.of("assistant: " + Assistants.FIRST_MESSAGE, "user: " + firstUser, "assistant: " + firstReply,
          "user: " + gapUser), context.subList(1, 5), "the turns before the failover are the model's context: " + context);
    }
    int survivor = hostOf(call.id());
    assertNotEquals(host, survivor);
    JsonNode ended = api(socketNode).getCall(call.id());
    assertEquals("customer-ended-call", ended.path("endedReason").asText());
    assertEquals(List.of("system", "bot", "user", "bot", "user", "bot"), roles(ended), ended.path("messages").toString());

    Map<String, Long> events = journal.eventCounts(call.id());
    assertEquals(Map.of("CallCreated", 1L, "TransportAttached", 2L, "SystemPrompted", 1L, "CallResumed", 1L,
        "UserSpoke", 2L, "AssistantSpoke", 3L, "CallEnded", 1L), events, "every event exactly once");
    CallEntity.CallResumed resumed = journal.events(call.id()).stream()
        .filter(CallEntity.CallResumed.class::isInstance).map(CallEntity.CallResumed.class::cast).findFirst().orElseThrow();
    assertTrue(resumed.resumedAt().isAfter(resumed.interruptedAt()), resumed.toString());
    assertTrue(resumed.cause().startsWith("call lost"), resumed.cause());
  }

  @Test
  @Order(2)
  void aCallerWhoseNodeDiedReconnectsAndTheCallGoesOn() throws Exception {
    ParleyApi.CreatedCall call = api(0).createCall(scriptedAssistant, WireFormat.PCM_16K);
    int host = hostOf(call.id());
    int socketNode = (host + 1) % cluster.size();
    RobotOptions options = RobotOptions.defaults()
        .withReconnect(ReconnectOptions.to(otherNodes(socketNode), RECONNECT_WINDOW.multipliedBy(6)));
    try (RobotCaller robot = RobotCaller.connect(call.id(), onNode(call.websocketCallUrl(), socketNode),
        api(0).http(), options)) {
      robot.awaitReplyFinished();
      robot.sayAndAwaitReply(voice.pcm("what is the weather like today"));

      cluster.kill(socketNode);
      robot.recording().await(() -> robot.reconnects().stream().anyMatch(r -> r.reopened()) ? true : null,
          FAILOVER_WAIT, "the robot back on another node");
      int seen = robot.recording().messages().size();
      robot.sayAndAwaitReply(voice.pcm("and what about tomorrow"));
      assertEquals(Assistants.TOMORROW_REPLY,
          VoiceCallEndToEndTest.awaitReplyFinal(robot, seen).json().path("transcript").asText());
      robot.endCall();
      robot.awaitClosed();
    }
    JsonNode ended = api(host).getCall(call.id());
    assertEquals("customer-ended-call", ended.path("endedReason").asText());
    assertEquals(List.of("bot", "user", "bot", "user", "bot"), roles(ended), ended.path("messages").toString());
    Map<String, Long> events = journal.eventCounts(call.id());
    assertEquals(1L, events.get("TransportDetached"), events.toString());
    assertEquals(2L, events.get("TransportAttached"), events.toString());
    assertFalse(events.containsKey("CallResumed"), "the call itself never moved: " + events);
    CallEntity.TransportDetached detached = journal.events(call.id()).stream()
        .filter(CallEntity.TransportDetached.class::isInstance).map(CallEntity.TransportDetached.class::cast)
        .findFirst().orElseThrow();
    assertTrue(detached.reason().startsWith("lost: its node ") && detached.reason().endsWith(" is down"),
        "the reconnect took the call over from the dead node's connection: " + detached.reason());
  }

  @Test
  @Order(3)
  void aCallWhoseCallerNeverComesBackEndsWithItsReason() throws Exception {
    ParleyApi.CreatedCall call = api(0).createCall(scriptedAssistant, WireFormat.PCM_16K);
    int host = hostOf(call.id());
    int socketNode = (host + 1) % cluster.size();
    try (RobotCaller robot = RobotCaller.connect(call.id(), onNode(call.websocketCallUrl(), socketNode),
        api(0).http(), RobotOptions.defaults())) {
      robot.awaitReplyFinished();
      cluster.kill(socketNode);
      robot.awaitClosed();
    }
    JsonNode ended = awaitEnded(api(host), call.id());
    assertEquals("phone-call-provider-closed-websocket", ended.path("endedReason").asText());
    List<Object> events = journal.events(call.id());
    CallEntity.TransportDetached detached = events.stream().filter(CallEntity.TransportDetached.class::isInstance)
        .map(CallEntity.TransportDetached.class::cast).findFirst().orElseThrow();
    assertTrue(detached.reason().startsWith("lost"), detached.reason());
  }

  @Test
  @Order(4)
  void twentyCallsGoOnWhileANodeLeaves() throws Exception {
    int calls = 20;
    int leaving = 1;
    List<RobotCaller> robots = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        int node = i % cluster.size();
        ParleyApi.CreatedCall call = api(node).createCall(scriptedAssistant, WireFormat.PCM_16K);
        RobotOptions options = RobotOptions.defaults()
            .withReconnect(ReconnectOptions.to(otherNodes(leaving), RECONNECT_WINDOW.multipliedBy(6)));
        robots.add(RobotCaller.connect(call.id(), call.websocketCallUrl(), api(node).http(), options));
      }
      for (RobotCaller robot : robots) {
        robot.awaitReplyFinished();
      }
      // the calls the leaving node touches: their socket or their entity is there
      java.util.Map<RobotCaller, Integer> affected = new java.util.LinkedHashMap<>();
      for (RobotCaller robot : robots) {
        if (robot.socketUrl().getPort() == cluster.httpBase(leaving).getPort() || hostOf(robot.callId()) == leaving) {
          affected.put(robot, robot.messages("status-update").size());
        }
      }
      assertFalse(affected.isEmpty(), "the leaving node holds some of the calls");
      cluster.stop(leaving);
      // what a caller says while its call moves is not heard (frames are dropped, as on a phone
      // line that drops out): each affected caller speaks once its call says it is back
      affected.forEach((robot, before) -> awaitSettledAfter(robot, before));
      for (RobotCaller robot : robots) {
        int seen = robot.recording().messages().size();
        robot.sayAndAwaitReply(voice.pcm("what is the weather like today"));
        assertEquals(Assistants.WEATHER_REPLY,
            VoiceCallEndToEndTest.awaitReplyFinal(robot, seen).json().path("transcript").asText(),
            robot.callId() + ": " + robot.recording().summary());
      }
      for (RobotCaller robot : robots) {
        robot.endCall();
        robot.awaitClosed();
      }
      for (RobotCaller robot : affected.keySet()) {
        if (robot.reconnects().isEmpty()) {
          continue;
        }
        // the leaving node said why it closed the socket: a caller reconnects on 1012 at once
        assertEquals("closed 1012 'node leaving: reconnect'", robot.reconnects().get(0).cause().toString(),
            robot.callId() + ": " + robot.reconnects());
      }
      assertTrue(affected.keySet().stream().anyMatch(r -> !r.reconnects().isEmpty()),
          "some callers had their socket on the leaving node");
    } finally {
      robots.forEach(RobotCaller::close);
    }
    for (RobotCaller robot : robots) {
      JsonNode ended = api(0).getCall(robot.callId());
      assertEquals("customer-ended-call", ended.path("endedReason").asText(), robot.callId());
      assertEquals(List.of("bot", "user", "bot"), roles(ended), ended.path("messages").toString());
    }
  }

  private ParleyApi api(int node) {
    return new ParleyApi(cluster.httpBase(node), apiKey);
  }

  /** The node whose shard region runs the call (sharding may still be moving it: waits). */
  private int hostOf(String callId) {
    long deadline = System.nanoTime() + FAILOVER_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var host = cluster.hostOf(callId);
      if (host.isPresent()) {
        return host.getAsInt();
      }
      sleep(250);
    }
    throw new AssertionError("no node hosts call " + callId);
  }

  /**
   * Waits until the call has said it is in progress again since {@code before} status updates, and
   * then no more for two seconds (a caller that reconnected may see its call move once more).
   */
  private static void awaitSettledAfter(RobotCaller robot, int before) {
    robot.recording().await(() -> robot.messages("status-update").size() > before ? true : null, FAILOVER_WAIT,
        "call " + robot.callId() + " back in progress after the node left");
    long deadline = System.nanoTime() + FAILOVER_WAIT.toNanos();
    int seen;
    do {
      seen = robot.messages("status-update").size();
      sleep(2000);
    } while (robot.messages("status-update").size() != seen && System.nanoTime() < deadline);
  }

  private JsonNode awaitEnded(ParleyApi api, String callId) {
    long deadline = System.nanoTime() + FAILOVER_WAIT.plus(RECONNECT_WINDOW).toNanos();
    JsonNode call = api.getCall(callId);
    while (!"ended".equals(call.path("status").asText()) && System.nanoTime() < deadline) {
      sleep(500);
      call = api.getCall(callId);
    }
    return call;
  }

  private URI onNode(URI url, int node) {
    URI base = cluster.httpBase(node);
    return URI.create(url.getScheme() + "://" + base.getHost() + ":" + base.getPort() + url.getRawPath()
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
  }

  private List<URI> otherNodes(int node) {
    return IntStream.range(0, cluster.size()).filter(i -> i != node).mapToObj(cluster::httpBase).toList();
  }

  private static List<String> roles(JsonNode call) {
    List<String> roles = new ArrayList<>();
    call.path("messages").forEach(m -> roles.add(m.path("role").asText()));
    return roles;
  }

  private static List<String> context(JsonNode request) {
    List<String> context = new ArrayList<>();
    request.path("messages").forEach(m -> context.add(m.path("role").asText() + ": " + m.path("content").asText()));
    return context;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
