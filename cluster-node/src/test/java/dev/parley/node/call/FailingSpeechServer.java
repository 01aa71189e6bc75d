package dev.parley.node.call;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback OpenAI {@code /v1/audio/speech} that voices its first {@code goodRequests} requests
 * (24 kHz PCM, a tone) and then fails as OpenAI does when it is overloaded: 500 with an error JSON.
 */
final class FailingSpeechServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  FailingSpeechServer(int goodRequests) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/audio/speech", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (requests.incrementAndGet() <= goodRequests) {
        respond(exchange, 200, "application/octet-stream", tone24k(600));
      } else {
        respond(exchange, 500, "application/json", """
            {"error": {"message": "The server had an error while processing your request.", "type": "server_error"}}"""
            .getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int requests() {
    return requests.get();
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] tone24k(int ms) {
    int samples = ms * 24;
    byte[] pcm = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      short s = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 24000.0));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
