package dev.parley.http.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a route that fails answers, through the node's exception handler on real HTTP. */
class ErrorResponsesTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ActorSystem<Void> system;
  private static ServerBinding binding;

  @BeforeAll
  static void serve() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "error-responses-test");
    Route failing = Directives.concat(
        Directives.path("timeout", () -> Directives.onSuccess(
            CompletableFuture.<String>failedFuture(new AskTimeoutException("Ask timed out on [EntityRef(Call)]")),
            Directives::complete)),
        Directives.path("boom", () -> Directives.failWith(new IllegalStateException("internal detail"))));
    binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(Directives.handleExceptions(ErrorResponses.exceptionHandler(), () -> failing))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void anEntityThatDidNotAnswerInTimeIsA503ToRetry() throws Exception {
    HttpResponse<String> response = get("/timeout");
    assertEquals(503, response.statusCode());
    assertEquals("1", response.headers().firstValue("retry-after").orElse(""));
    assertEquals("{\"statusCode\":503,\"error\":\"Service Unavailable\","
        + "\"message\":[\"The node could not answer in time; try again shortly\"]}", response.body());
  }

  @Test
  void anyOtherFailureIsA500WithoutItsDetails() throws Exception {
    HttpResponse<String> response = get("/boom");
    assertEquals(500, response.statusCode());
    assertEquals(-1, response.body().indexOf("internal detail"), response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
