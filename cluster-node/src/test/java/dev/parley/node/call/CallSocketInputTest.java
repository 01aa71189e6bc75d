package dev.parley.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.parley.call.CallEntity;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.WireFormat;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/**
 * What a caller's socket does with bad input: every bad frame or message gets a clear error and
 * the call goes on; refusals come before the upgrade; the journal stays one consistent story.
 */
class CallSocketInputTest {

  private static TestNode node;
  private static ParleyApi api;
  private static String assistantId;
  private static final String ORG = UUID.randomUUID().toString();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestCassandra.uniqueKeyspace("callsocket"), Files.createTempDirectory("parley-socket"),
        Map.of());
    api = new ParleyApi(URI.create("http://127.0.0.1:" + node.port),
        node.issue(ORG, KeyKind.PRIVATE));
    assistantId = api.createAssistant(Assistants.weatherDesk());
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @Test
  void badFramesAndMessagesAreAnsweredAndTheCallGoesOn() throws Exception {
    ParleyApi.CreatedCall call = api.createCall(assistantId, WireFormat.PCM_16K);
    String url = call.websocketCallUrl().toString();
    try (RawSocket socket = RawSocket.open(url)) {
      assertEquals("Binary frames carry raw pcm_s16le 16000 Hz audio; this frame looks like a WAV (RIFF) file; "
          + "strip the header and send the samples", errorFor(socket, () -> socket.binary(riffHeader())));
      assertEquals("A pcm_s16le frame needs an even number of bytes (2 per sample); got 641",
          errorFor(socket, () -> socket.binary(new byte[641])));
      assertEquals("Binary frames carry raw pcm_s16le 16000 Hz audio; this frame looks like JSON; send control "
          + "messages as text frames", errorFor(socket, () -> socket.binary("{\"type\":\"say\"}".getBytes(
              StandardCharsets.UTF_8))));
      assertEquals("Malformed message: expected a JSON object with a \"type\"",
          errorFor(socket, () -> socket.text("end the call please")));
      assertEquals("Unknown message type \"dance\"; expected say, add-message, control or end-call",
          errorFor(socket, () -> socket.text("{\"type\": \"dance\"}")));
      assertEquals("say: \"content\" must be non-empty text", errorFor(socket, () -> socket.text("{\"type\": \"say\"}")));
      assertEquals("Unknown control \"explode\"; expected mute-assistant, unmute-assistant or say-first-message",
          errorFor(socket, () -> socket.text("{\"type\": \"control\", \"control\": \"explode\"}")));

      assertEquals(409, handshakeStatus(url), "a second socket while one is live");

      assertEquals("Frame larger than 65536 bytes: closing the connection",
          errorFor(socket, () -> socket.binary(new byte[70_000])));
      assertEquals(1009, socket.awaitClosed(), "closed as a message too big");
    }
    // the call waits for its caller to come back, and goes on where it was
    try (RawSocket again = RawSocket.open(reconnectUrl(call))) {
      again.binary(new byte[640]);
      again.text("{\"type\": \"end-call\"}");
      assertEquals(1000, again.awaitClosed());
    }
    assertEquals(409, handshakeStatus(reconnectUrl(call)), "a socket for an ended call");

    List<Object> events = CallJournal.events(node.node.system(), call.id());
    List<String> kinds = events.stream().map(e -> e.getClass().getSimpleName()).toList();
    assertEquals("CallCreated", kinds.get(0), kinds.toString());
    assertEquals(2, kinds.stream().filter("TransportAttached"::equals).count(), kinds.toString());
    assertEquals(1, kinds.stream().filter("TransportDetached"::equals).count(), kinds.toString());
    assertEquals("CallEnded", kinds.get(kinds.size() - 1), kinds.toString());
    assertEquals("customer-ended-call", ((CallEntity.CallEnded) events.get(events.size() - 1)).endedReason());
    assertEquals("ended", api.getCall(call.id()).path("status").asText());
  }

  @Test
  void aSocketForAnUnknownCallOrWithAWrongKeyIsRefusedBeforeTheUpgrade() throws Exception {
    String unknown = "ws://127.0.0.1:" + node.port + "/call/" + UUID.randomUUID() + "/transport?token="
        + node.issue(ORG, KeyKind.PUBLIC);
    assertEquals(404, handshakeStatus(unknown));
    ParleyApi.CreatedCall call = api.createCall(assistantId, WireFormat.PCM_16K);
    assertEquals(401, handshakeStatus("ws://127.0.0.1:" + node.port + "/call/" + call.id() + "/transport?token=sk_wrong"));
  }

  /** A fresh URL for the call (its token is renewed on every read). */
  private static String reconnectUrl(ParleyApi.CreatedCall call) {
    return api.getCall(call.id()).path("transport").path("websocketCallUrl").asText();
  }

  private interface Send {
    void run() throws Exception;
  }

  private static String errorFor(RawSocket socket, Send send) throws Exception {
    int seen = socket.messages.size();
    send.run();
    return socket.awaitError(seen);
  }

  private static int handshakeStatus(String url) throws Exception {
    try (RawSocket unexpected = RawSocket.open(url)) {
      return 101;
    } catch (ExecutionException e) {
      WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
      String body = String.valueOf(refused.getResponse().body());
      assertTrue(refused.getResponse().statusCode() < 500, body);
      return refused.getResponse().statusCode();
    }
  }

  private static byte[] riffHeader() {
    byte[] frame = new byte[640];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 4);
    return frame;
  }
}
