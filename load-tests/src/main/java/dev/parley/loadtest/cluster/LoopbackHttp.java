package dev.parley.loadtest.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Short GETs to a node's health and management routes; a node that does not answer is an empty reply. */
final class LoopbackHttp {

  /** A reply's status and body. */
  record Reply(int status, String body) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Optional<Reply> get(URI url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Reply(response.statusCode(), response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
