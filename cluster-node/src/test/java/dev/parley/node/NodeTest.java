package dev.parley.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.persistence.cassandra.embedded.EmbeddedCassandra;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;

/** A whole node in this JVM on a real Cassandra, over real HTTP. */
class NodeTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestNode node;
  private EmbeddedCassandra ownCassandra;
  private Path dataDir;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    if (ownCassandra != null) {
      ownCassandra.close();
    }
    TestCassandra.deleteRecursively(dataDir);
  }

  private int startNode(EmbeddedCassandra cassandra) throws Exception {
    dataDir = TestCassandra.newDataDir("node");
    node = TestNode.start(TestCassandra.uniqueKeyspace("node"), dataDir, Map.of(
        "parley.cassandra.contact-points", cassandra.contactPointString(),
        "kamon.metric.tick-interval", "1s"));
    return node.port;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> awaitResponse(int port, String path,
      Predicate<HttpResponse<String>> condition, Duration within) throws Exception {
    Instant deadline = Instant.now().plus(within);
    HttpResponse<String> last = get(port, path);
    while (!condition.test(last) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      last = get(port, path);
    }
    return last;
  }

  @Test
  void servesHealthReadinessMetricsAndTheDashboard() throws Exception {
    int port = startNode(TestCassandra.server());

    HttpResponse<String> alive = get(port, "/health/alive");
    assertEquals(200, alive.statusCode());
    assertEquals("up", JSON.readTree(alive.body()).get("status").asText());

    HttpResponse<String> ready = awaitResponse(port, "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("{\"status\":\"up\"}", ready.body());
    assertTrue(ready.headers().firstValue("content-type").orElse("").startsWith("application/json"));

    HttpResponse<String> metrics = awaitResponse(port, "/metrics",
        r -> r.body().contains("# TYPE jvm_memory"), Duration.ofSeconds(30));
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    assertTrue(metrics.body().contains("# TYPE jvm_memory"), "Prometheus text expected, got:\n" + metrics.body());

    HttpResponse<String> root = get(port, "/");
    assertEquals(302, root.statusCode());
    assertEquals("/dashboard/", root.headers().firstValue("location").orElse(""));
    HttpResponse<String> dashboard = get(port, "/dashboard/");
    assertEquals(200, dashboard.statusCode());
    assertTrue(dashboard.body().contains("<h1>Parley</h1>"), dashboard.body());
  }

  @Test
  void unknownRoutesAnswerJsonErrorsNotHtml() throws Exception {
    int port = startNode(TestCassandra.server());

    HttpResponse<String> missing = get(port, "/no/such/route");
    assertEquals(404, missing.statusCode());
    JsonNode body = JSON.readTree(missing.body());
    assertEquals(404, body.get("statusCode").asInt());
    assertEquals("Not Found", body.get("error").asText());
    assertTrue(body.get("message").isArray() && body.get("message").size() == 1, missing.body());

    HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, wrongMethod.statusCode());
    assertEquals(405, JSON.readTree(wrongMethod.body()).get("statusCode").asInt());
  }

  @Test
  void readinessFollowsCassandra() throws Exception {
    Path cassandraDir = TestCassandra.newDataDir("node-own");
    ownCassandra = TestCassandra.start(TestCassandra.settings(cassandraDir));
    int port = startNode(ownCassandra);
    assertEquals(200, awaitResponse(port, "/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60)).statusCode());

    ownCassandra.close();

    HttpResponse<String> down = awaitResponse(port, "/health/ready", r -> r.statusCode() == 503, Duration.ofSeconds(60));
    assertEquals(503, down.statusCode(), down.body());
    JsonNode body = JSON.readTree(down.body());
    assertEquals("down", body.get("status").asText());
    assertTrue(body.get("reason").asText().length() > 0, down.body());
    assertEquals(200, get(port, "/health/alive").statusCode(), "the process itself stays alive");
    TestCassandra.deleteRecursively(cassandraDir);
  }
}
