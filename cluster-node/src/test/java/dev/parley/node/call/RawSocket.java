package dev.parley.node.call;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/** A bare WebSocket client for sending what a well-behaved caller never would. */
final class RawSocket implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private RawSocket(URI url) throws Exception {
    socket = HTTP.newWebSocketBuilder().buildAsync(url, new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          messages.add(Assistants.parse(text.toString()));
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
      }
    }).get(20, TimeUnit.SECONDS);
  }

  static RawSocket open(String url) throws Exception {
    return new RawSocket(URI.create(url));
  }

  void binary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
  }

  void text(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  /** Blocking (test assertion): the next error message's text after {@code seen} messages. */
  String awaitError(int seen) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = seen; i < messages.size(); i++) {
        if ("error".equals(messages.get(i).path("type").asText())) {
          return messages.get(i).path("message").asText();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no error message; got " + messages);
  }

  int awaitClosed() throws Exception {
    return closed.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
