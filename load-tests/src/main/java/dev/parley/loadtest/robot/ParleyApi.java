package dev.parley.loadtest.robot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The platform's REST API as the robot needs it: create an assistant, create a call (answered with
 * its {@code transport.websocketCallUrl}), read a call back, list calls. A reply other than the expected status
 * fails with the status and body.
 */
public final class ParleyApi {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A created call: its id, the URL of its socket, and the whole Call JSON. */
  public record CreatedCall(String id, URI websocketCallUrl, JsonNode json) {}

  private final URI base;
  private final String apiKey;
  private final HttpClient http;

  public ParleyApi(URI base, String apiKey, HttpClient http) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.apiKey = apiKey;
    this.http = http;
  }

  public ParleyApi(URI base, String apiKey) {
    this(base, apiKey, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  public String apiKey() {
    return apiKey;
  }

  public HttpClient http() {
    return http;
  }

  /** POST /assistant; returns the new assistant's id. */
  public String createAssistant(JsonNode assistant) {
    return send("POST", "/assistant", assistant, 201).path("id").asText();
  }

  public CreatedCall createCall(String assistantId, WireFormat format) {
    ObjectNode body = MAPPER.createObjectNode().put("assistantId", assistantId);
    body.set("transport", format.transportJson());
    JsonNode call = send("POST", "/call", body, 201);
    String url = call.path("transport").path("websocketCallUrl").asText("");
    if (url.isEmpty()) {
      throw new RobotCallException("POST /call answered without transport.websocketCallUrl: " + call);
    }
    return new CreatedCall(call.path("id").asText(), URI.create(url), call);
  }

  public JsonNode getCall(String callId) {
    return send("GET", "/call/" + callId, null, 200);
  }

  /** GET /call with a query string (e.g. {@code assistantId=...&limit=1000}): the read model's list. */
  public JsonNode listCalls(String query) {
    return send("GET", "/call" + (query.isEmpty() ? "" : "?" + query), null, 200);
  }

  private JsonNode send(String method, String path, JsonNode body, int expectedStatus) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey)
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expectedStatus) {
        throw new RobotCallException(method + " " + path + " answered " + response.statusCode()
            + " (expected " + expectedStatus + "): " + response.body());
      }
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new RobotCallException(method + " " + base + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RobotCallException(method + " " + path + " interrupted", e);
    }
  }
}
