package dev.parley.call.providers.openai;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.call.provider.ProviderException;

/**
 * POSTs JSON to an OpenAI-compatible API with Pekko HTTP. A 2xx response is handed on with its
 * body unread, to be streamed; anything else, an unreachable server included, fails the source
 * with a {@link ProviderException} carrying the status and the upstream's own error message.
 */
final class OpenAiClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final long ERROR_BODY_TIMEOUT_MILLIS = 5_000;
  private static final int ERROR_MESSAGE_MAX_CHARS = 500;

  private final Http http;
  private final Materializer materializer;
  private final ConnectionPoolSettings pool;
  private final LoggingAdapter log;

  /**
   * A streamed reply holds its pooled connection until it ends, so the pool allows
   * {@code parley.call-actors.providers.openai.max-connections} per host instead of Pekko's 4.
   */
  OpenAiClient(ActorSystem<?> system) {
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    int maxConnections = OpenAiChatModel.config(system).getInt("max-connections");
    // Pekko wants a power of two; room for a burst of waiting requests beyond the connections.
    this.pool = ConnectionPoolSettings.create(system.classicSystem())
        .withMaxConnections(maxConnections)
        .withMaxOpenRequests(Integer.highestOneBit(maxConnections * 4));
    this.log = system.classicSystem().log();
  }

  /**
   * The request is sent when the source is materialised. Cancelling before the response arrives
   * aborts it; after, cancelling the body's stream does.
   */
  Source<HttpResponse, NotUsed> post(OpenAiEndpoint endpoint, String path, JsonNode body) {
    return Source.fromMaterializer((mat, attributes) -> {
      CompletionStage<HttpResponse> pending;
      try {
        pending = http.singleRequest(request(endpoint, path, body), http.defaultClientHttpsContext(), pool, log);
      } catch (RuntimeException | JsonProcessingException e) {
        // an unparsable or relative URL
        return Source.<HttpResponse>failed(new ProviderException(endpoint.failureReason(),
            endpoint.label() + ": cannot send to " + endpoint.url(path) + ": " + e.getMessage(), e));
      }
      // Set once the body is read here (an error) or handed on; otherwise the connection is dropped.
      AtomicBoolean bodyClaimed = new AtomicBoolean();
      return Source.completionStage(pending)
          .mapError(OpenAiFailures.unreachable(endpoint, path))
          .mapAsync(1, response -> checked(endpoint, response, bodyClaimed))
          .map(response -> {
            bodyClaimed.set(true);
            return response;
          })
          .watchTermination((notUsed, done) -> {
            done.whenComplete((ok, failure) -> pending.thenAccept(response -> {
              if (!bodyClaimed.get()) {
                response.entity().getDataBytes().runWith(Sink.cancelled(), materializer);
              }
            }));
            return notUsed;
          });
    }).mapMaterializedValue(future -> NotUsed.getInstance());
  }

  private static HttpRequest request(OpenAiEndpoint endpoint, String path, JsonNode body)
      throws JsonProcessingException {
    HttpRequest request = HttpRequest.POST(endpoint.url(path))
        .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    if (!endpoint.apiKey().isEmpty()) {
      request = request.addHeader(Authorization.oauth2(endpoint.apiKey()));
    }
    for (Map.Entry<String, String> header : endpoint.headers().entrySet()) {
      request = request.addHeader(RawHeader.create(header.getKey(), header.getValue()));
    }
    return request;
  }

  private CompletionStage<HttpResponse> checked(OpenAiEndpoint endpoint, HttpResponse response,
      AtomicBoolean bodyClaimed) {
    if (response.status().isSuccess()) {
      return CompletableFuture.completedFuture(response);
    }
    bodyClaimed.set(true);
    return response.entity().toStrict(ERROR_BODY_TIMEOUT_MILLIS, materializer)
        .handle((strict, unreadable) -> unreadable != null
            ? "(error body unreadable: " + unreadable.getMessage() + ")"
            : errorMessage(strict.getData().utf8String()))
        .thenCompose(detail -> CompletableFuture.failedFuture(new ProviderException(endpoint.failureReason(),
            endpoint.label() + " returned HTTP " + response.status().intValue() + " " + response.status().reason()
                + ": " + detail)));
  }

  /** OpenAI's {@code {"error": {"message": ...}}}, or the body itself when it is not that. */
  static String errorMessage(String body) {
    try {
      JsonNode message = JSON.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (JsonProcessingException notJson) {
      // fall through to the raw body
    }
    String trimmed = body.strip();
    return trimmed.length() > ERROR_MESSAGE_MAX_CHARS ? trimmed.substring(0, ERROR_MESSAGE_MAX_CHARS) + "..."
        : trimmed;
  }
}
