package dev.parley.http.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The talk page and its scripts as the node serves them from the frontend jar: module scripts and
 * the AudioWorklet only load when served with a JavaScript content type.
 */
class DashboardRouteTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ActorSystem<Void> system;
  private static ServerBinding binding;

  @BeforeAll
  static void serve() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "dashboard-route-test");
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(new DashboardRoute().route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void talkPageIsServedAsHtml() throws Exception {
    HttpResponse<String> page = get("/dashboard/talk.html");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<script type=\"module\" src=\"talk/talk.js\">"), page.body());
  }

  @Test
  void talkScriptsAreServedAsJavaScript() throws Exception {
    for (String script : new String[] {"talk.js", "audio.js", "mic-worklet.js"}) {
      HttpResponse<String> response = get("/dashboard/talk/" + script);
      assertEquals(200, response.statusCode(), script);
      assertEquals("application/javascript", response.headers().firstValue("content-type").orElse("")
          .split(";")[0], script);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
