package dev.parley.node.call;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback OpenAI chat completions endpoint that streams "Reply number N." over SSE, as OpenAI
 * does, and keeps every request's messages: what the model was given as context.
 */
final class RecordingChatServer implements AutoCloseable {

  private final HttpServer server;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  RecordingChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      JsonNode request = Assistants.JSON.readTree(exchange.getRequestBody().readAllBytes());
      requests.add(request);
      String reply = "Reply number " + requests.size() + ".";
      StringBuilder sse = new StringBuilder();
      for (String word : reply.split("(?<= )")) {
        sse.append("data: ").append(chunk("{\"content\": " + Assistants.JSON.writeValueAsString(word) + "}", "null"))
            .append("\n\n");
      }
      sse.append("data: ").append(chunk("{}", "\"stop\"")).append("\n\n").append("data: [DONE]\n\n");
      byte[] body = sse.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  private static String chunk(String delta, String finishReason) {
    return "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion.chunk\", \"created\": 1, \"model\": \"gpt-test\","
        + " \"choices\": [{\"index\": 0, \"delta\": " + delta + ", \"finish_reason\": " + finishReason + "}]}";
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
