package dev.parley.http.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Pekko HTTP server on loopback whose socket runs through {@link StrictWebSocket}, and the
 * JDK's WebSocket client: messages arrive whole however the client fragments them, replies leave
 * as frames, pings are answered and both sides close cleanly.
 */
class StrictWebSocketTest {

  private static final int LIMIT = 1000;
  private static ActorSystem<Void> system;
  private static ServerBinding binding;

  /** Answers each message with its kind and size; "bye" ends the handler's side, "leave" closes with 1012. */
  private static Flow<Message, Message, ?> describer() {
    return Flow.<Message>create()
        .map(m -> m.isText()
            ? "text " + m.asTextMessage().getStrictText().length() + ":" + head(m.asTextMessage().getStrictText())
            : "binary " + m.asBinaryMessage().getStrictData().size())
        .takeWhile(reply -> !reply.equals("text 3:bye"))
        .<Message>map(reply -> reply.equals("text 5:leave") ? SocketClose.of(1012, "node leaving: reconnect")
            : TextMessage.create(reply))
        .concat(org.apache.pekko.stream.javadsl.Source.single(BinaryMessage.create(ByteString.fromArray(new byte[] {1, 2, 3}))));
  }

  private static String head(String text) {
    return text.length() > 10 ? text.substring(0, 10) : text;
  }

  @BeforeAll
  static void serve() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "strict-websocket-test");
    StrictWebSocket sockets = new StrictWebSocket(system);
    Route route = new AllDirectives() {
      Route route() {
        return extractRequest(request -> complete(sockets.handle(
            request.getAttribute(AttributeKeys.webSocketUpgrade).orElseThrow(), describer(), LIMIT)));
      }
    }.route();
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void fragmentedMessagesArriveWholeAndRepliesComeBack() throws Exception {
    Client client = Client.open();
    client.socket.sendBinary(ByteBuffer.wrap(new byte[300]), false).get(5, TimeUnit.SECONDS);
    client.socket.sendBinary(ByteBuffer.wrap(new byte[340]), true).get(5, TimeUnit.SECONDS);
    assertEquals("binary 640", client.next());
    client.socket.sendText("hello ", false).get(5, TimeUnit.SECONDS);
    client.socket.sendText("there", true).get(5, TimeUnit.SECONDS);
    assertEquals("text 11:hello ther", client.next());
    client.socket.sendBinary(ByteBuffer.wrap(new byte[640]), true).get(5, TimeUnit.SECONDS);
    assertEquals("binary 640", client.next());
    client.socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
    assertEquals("bytes 1,2,3", client.next(), "the handler's last words leave after the caller's close");
    assertEquals("closed 1000 done", client.next());
  }

  @Test
  void aMessageOverTheLimitReachesTheHandlerCutJustPastIt() throws Exception {
    Client client = Client.open();
    for (int i = 0; i < 5; i++) {
      client.socket.sendBinary(ByteBuffer.wrap(new byte[700]), i == 4).get(5, TimeUnit.SECONDS);
    }
    assertEquals("binary " + (LIMIT + 1), client.next());
    client.socket.sendText("x".repeat(3 * LIMIT), true).get(5, TimeUnit.SECONDS);
    assertEquals("text " + (LIMIT + 1) + ":xxxxxxxxxx", client.next());
    client.socket.sendBinary(ByteBuffer.wrap(new byte[10]), true).get(5, TimeUnit.SECONDS);
    assertEquals("binary 10", client.next(), "the socket reads on after a long message");
    client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    assertEquals("bytes 1,2,3", client.next());
    assertEquals("closed 1000", client.next());
  }

  @Test
  void pingsAreAnsweredAndTheHandlersEndClosesTheSocket() throws Exception {
    Client client = Client.open();
    client.socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
    assertEquals("pong are you there", client.next());
    client.socket.sendText("bye", true).get(5, TimeUnit.SECONDS);
    assertEquals("bytes 1,2,3", client.next(), "what the handler sends after its input ends still leaves");
    assertEquals("closed 1000", client.next());
  }

  @Test
  void theHandlerClosesWithACodeOfItsOwn() throws Exception {
    Client client = Client.open();
    client.socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertEquals("text 5:hello", client.next());
    client.socket.sendText("leave", true).get(5, TimeUnit.SECONDS);
    assertEquals("closed 1012 node leaving: reconnect", client.next());
  }

  /** The JDK's WebSocket client, recording what arrives as lines. */
  private static final class Client implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket socket;

    static Client open() throws Exception {
      Client client = new Client();
      client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/"), client)
          .get(10, TimeUnit.SECONDS);
      return client;
    }

    String next() throws InterruptedException {
      String line = received.poll(10, TimeUnit.SECONDS);
      assertTrue(line != null, "nothing arrived within 10 s");
      return line;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      assertTrue(last, "a reply leaves as one frame");
      StringBuilder line = new StringBuilder("bytes ");
      for (int i = 0; i < bytes.length; i++) {
        line.append(i == 0 ? "" : ",").append(bytes[i]);
      }
      received.add(line.toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      received.add("pong " + StandardCharsets.UTF_8.decode(message));
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      received.add(("closed " + statusCode + " " + reason).strip());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      received.add("error " + error);
    }
  }

  @Test
  void repliesLeaveAsSingleFrames() {
    Object frame = StrictMessageLayer.frameOf(BinaryMessage.create(ByteString.fromArray(new byte[] {7, 8})));
    var start = (org.apache.pekko.http.impl.engine.ws.FrameStart) frame;
    assertTrue(start.isFullMessage());
    assertArrayEquals(new byte[] {7, 8}, start.data().toArray());
  }
}
