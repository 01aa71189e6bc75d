package dev.parley.node.rest;

import static dev.parley.node.rest.CallBodies.withAssistantId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.http.auth.CallTokens;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/**
 * Who may open {@code /call/{id}/transport}: checked before the WebSocket upgrade, with a real
 * WebSocket client (JDK) reading the handshake's status.
 */
class CallTransportAuthTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static TestNode node;
  private static Path dataDir;
  private static ApiClient api;
  private static String assistantId;

  @BeforeAll
  static void start() throws Exception {
    dataDir = TestCassandra.newDataDir("call-transport");
    node = TestNode.start(TestCassandra.uniqueKeyspace("calltransport"), dataDir,
        Map.of("parley.http.call-token.secret", SECRET));
    api = node.newOrg();
    assistantId = api.post("/assistant", Bodies.fullAssistant("Desk")).json().get("id").asText();
  }

  @AfterAll
  static void stop() {
    node.stop();
    TestCassandra.deleteRecursively(dataDir);
  }

  /**
   * The assistant's voice (11labs) is not offered by this node, so a call cannot start: the first
   * connection that gets past authentication ends it (409 before the upgrade), which shows the way
   * in worked. Live upgrades are VoiceCallEndToEndTest's and CallSocketInputTest's.
   */
  @Test
  void theCallsOwnUrlGetsInAndTheCallEndsForLackOfProviders() throws Exception {
    JsonNode call = api.post("/call", withAssistantId(assistantId)).json();
    String path = "/call/" + call.get("id").asText();

    Handshake answer = handshake(call.at("/transport/websocketCallUrl").asText(), null);
    assertEquals(409, answer.status(), answer.body());
    assertTrue(answer.body().contains("has ended"), answer.body());

    JsonNode ended = api.get(path).json();
    assertEquals("ended", ended.get("status").asText(), ended.toString());
    assertEquals("pipeline-error-eleven-labs-voice-failed", ended.get("endedReason").asText());
    assertEquals(ended.get("endedAt"), ended.get("updatedAt"));
    JsonNode row = api.awaitGet("/call?id=" + call.get("id").asText(),
        r -> r.json().size() == 1 && "ended".equals(r.json().get(0).path("status").asText())).json().get(0);
    for (String field : new String[] {"status", "endedReason", "endedAt", "updatedAt"}) {
      assertEquals(ended.get(field), row.get(field), field + " of the listed call");
    }
  }

  @Test
  void aKeyInTheHeaderOrAPublicKeyInTheQueryAlsoGetsIn() throws Exception {
    assertEquals(409, refused(base(newCall()), "Bearer " + api.key()));
    String publicKey = node.issue(orgId(), KeyKind.PUBLIC);
    assertEquals(409, refused(base(newCall()) + "?token=" + publicKey, null));
    assertEquals(409, refused(base(newCall()), "Bearer " + publicKey));
  }

  @Test
  void refusalsComeBeforeTheUpgrade() throws Exception {
    String callId = newCall();
    CallTokens tokens = new CallTokens(SECRET, Duration.ofMinutes(15), Clock.systemUTC());
    String otherCall = newCall();

    assertEquals(401, refused(base(callId), null));
    assertEquals(401, refused(base(callId) + "?token=ct_garbage.signature", null));
    assertEquals(401, refused(base(callId) + "?token="
        + tokens.issue(callId, orgId(), Instant.now().minusSeconds(60)), null));
    assertEquals(401, refused(base(callId) + "?token=" + tokens.issue(otherCall, orgId()), null));
    assertEquals(401, refused(base(callId) + "?token="
        + new CallTokens("another-secret-that-is-long-enough-0123456789", Duration.ofMinutes(15), Clock.systemUTC())
            .issue(callId, orgId()), null));
    assertEquals(401, refused(base(callId), "Bearer sk_not-a-key"));
    assertEquals(404, refused(base(UUID.randomUUID().toString()), "Bearer " + api.key()));
    assertEquals(404, refused(base(callId), "Bearer " + node.newOrg().key()));

    assertEquals(new Handshake(401, "The call token has expired; create a new call or use an API key"),
        handshake(base(callId) + "?token=" + tokens.issue(callId, orgId(), Instant.now().minusSeconds(1)), null)
            .firstMessage());
    assertEquals(new Handshake(401, "This call token is for another call"),
        handshake(base(callId) + "?token=" + tokens.issue(otherCall, orgId()), null).firstMessage());
    assertEquals(new Handshake(401, "Missing key: connect with the call's websocketCallUrl (it carries a token), "
        + "send 'Authorization: Bearer <API key>' or add '?token=<public key>'"),
        handshake(base(callId), null).firstMessage());
    assertEquals(new Handshake(404, "Call not found: " + callId),
        handshake(base(callId), "Bearer " + node.newOrg().key()).firstMessage());
    HttpResponse<String> plain = HTTP.send(java.net.http.HttpRequest.newBuilder(
        URI.create(http(base(callId)) + "?token=" + tokens.issue(callId, orgId()))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, plain.statusCode(), "a valid token without the upgrade: " + plain.body());
  }

  /** A status and an error body, or its first message. */
  record Handshake(int status, String body) {
    Handshake firstMessage() {
      try {
        return new Handshake(status, ApiClient.JSON.readTree(body).at("/message/0").asText());
      } catch (java.io.IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** A WebSocket opening handshake written by hand, to read a refusal's body too. */
  private static Handshake handshake(String url, String authorization) throws Exception {
    URI uri = URI.create(url);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(20_000);
      String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
          + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
          + "\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
          + (authorization == null ? "" : "\r\nAuthorization: " + authorization) + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int status = Integer.parseInt(in.readLine().split(" ")[1]);
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).strip());
        }
      }
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        read += in.read(body, read, length - read);
      }
      return new Handshake(status, new String(body));
    }
  }

  private static String newCall() {
    return api.post("/call", withAssistantId(assistantId)).json().get("id").asText();
  }

  private static String orgId() {
    return api.get("/assistant/" + assistantId).json().get("orgId").asText();
  }

  private static String base(String callId) {
    return "ws://127.0.0.1:" + node.port + "/call/" + callId + "/transport";
  }

  private static String http(String ws) {
    return ws.replaceFirst("^ws", "http");
  }

  private static WebSocket connect(String url, String authorization) throws Exception {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.buildAsync(URI.create(url), new WebSocket.Listener() {}).get(20, TimeUnit.SECONDS);
  }

  /** The handshake's HTTP status; fails if the upgrade succeeded. */
  private static int refused(String url, String authorization) throws Exception {
    try {
      connect(url, authorization).abort();
      throw new AssertionError("the upgrade succeeded for " + url);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      assertInstanceOf(WebSocketHandshakeException.class, cause, String.valueOf(cause));
      return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }
  }
}
