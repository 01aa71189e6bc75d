package dev.parley.call.providers.openai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.javadsl.unmarshalling.sse.EventStreamUnmarshalling;
import org.apache.pekko.http.scaladsl.settings.ServerSentEventSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;

import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.ProviderException;

/**
 * OpenAI chat completions, streamed over server-sent events: {@code model.provider = "openai"}
 * (base URL and key from configuration) and {@code "custom-llm"} (any OpenAI-compatible server at
 * {@code model.url}, with {@code model.headers} sent as given). Text deltas pass on as they
 * arrive, tool calls once whole. A reply whose first chunk is later than {@code first-chunk-timeout}
 * (custom-llm: {@code model.timeoutSeconds}) fails.
 */
public final class OpenAiChatModel implements LanguageModel {

  public static final String OPENAI = "openai";
  public static final String CUSTOM_LLM = "custom-llm";
  static final String OPENAI_FAILURE = "pipeline-error-openai-llm-failed";
  static final String CUSTOM_LLM_FAILURE = "pipeline-error-custom-llm-llm-failed";
  /** A custom LLM may send a whole reply as one event; Pekko's default line limit is 4 KiB. */
  private static final int MAX_LINE_BYTES = 1024 * 1024;

  private final OpenAiClient client;
  private final Function<JsonNode, OpenAiEndpoint> endpoints;
  private final Duration firstChunkTimeout;
  private final Unmarshaller<HttpEntity, Source<ServerSentEvent, NotUsed>> events;
  private final Materializer materializer;

  private OpenAiChatModel(ActorSystem<?> system, Function<JsonNode, OpenAiEndpoint> endpoints,
      Duration firstChunkTimeout) {
    this.client = new OpenAiClient(system);
    this.endpoints = endpoints;
    this.firstChunkTimeout = firstChunkTimeout;
    this.events = EventStreamUnmarshalling.fromEventsStream(ServerSentEventSettings.apply(system.settings().config())
        .withMaxEventSize(2 * MAX_LINE_BYTES).withLineLength(MAX_LINE_BYTES));
    this.materializer = Materializer.matFromSystem(system);
  }

  /** {@code openai}: parley.call-actors.providers.openai.{base-url, api-key}. */
  public static OpenAiChatModel create(ActorSystem<?> system) {
    Config config = config(system);
    return openAi(system, config.getString("base-url"), config.getString("api-key"),
        config.getDuration("first-chunk-timeout"));
  }

  static OpenAiChatModel openAi(ActorSystem<?> system, String baseUrl, String apiKey, Duration firstChunkTimeout) {
    return new OpenAiChatModel(system, model -> {
      if (apiKey.isBlank()) {
        throw new ProviderException(OPENAI_FAILURE, "openai: no API key is configured; set PARLEY_OPENAI_API_KEY"
            + " (parley.call-actors.providers.openai.api-key)");
      }
      return new OpenAiEndpoint("openai", baseUrl, apiKey, Map.of(), OPENAI_FAILURE);
    }, firstChunkTimeout);
  }

  /** {@code custom-llm}: the assistant's {@code model.url} and {@code model.headers}. */
  public static OpenAiChatModel createCustomLlm(ActorSystem<?> system) {
    return new OpenAiChatModel(system, OpenAiChatModel::customEndpoint,
        config(system).getDuration("first-chunk-timeout"));
  }

  @Override
  public Source<ModelEvent, NotUsed> complete(ModelRequest request) {
    OpenAiEndpoint endpoint;
    try {
      endpoint = endpoints.apply(request.model());
    } catch (ProviderException e) {
      return Source.failed(e);
    }
    ObjectNode body;
    try {
      body = ChatRequestBody.of(request, endpoint.label());
    } catch (IllegalArgumentException e) {
      return Source.failed(new ProviderException(endpoint.failureReason(), e.getMessage(), e));
    }
    Duration timeout = request.model().path("timeoutSeconds").isNumber()
        ? Duration.ofMillis((long) (request.model().path("timeoutSeconds").asDouble() * 1000)) : firstChunkTimeout;
    return Source.fromMaterializer((mat, attributes) -> {
      ChatChunks chunks = new ChatChunks(endpoint);
      return client.post(endpoint, "/chat/completions", body)
          .flatMapConcat(response -> Source.completionStageSource(events.unmarshal(response.entity(), materializer)))
          .initialTimeout(timeout)
          .mapError(OpenAiFailures.midStream(endpoint, timeout))
          .takeWhile(event -> !chunks.done(), true)
          .mapConcat(event -> chunks.onData(event.getData()))
          .concatLazy(Source.lazySource(() -> endOf(chunks)));
    }).mapMaterializedValue(future -> NotUsed.getInstance());
  }

  /** A failure handed back as a source, not thrown from the factory, which Pekko would log as an error. */
  private static Source<ModelEvent, NotUsed> endOf(ChatChunks chunks) {
    try {
      return Source.from(chunks.onEnd());
    } catch (ProviderException e) {
      return Source.failed(e);
    }
  }

  private static OpenAiEndpoint customEndpoint(JsonNode model) {
    if (!model.path("url").isTextual() || model.path("url").asText().isBlank()) {
      throw new ProviderException(CUSTOM_LLM_FAILURE, "custom-llm: the assistant's model.url is required");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    model.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
    return new OpenAiEndpoint("custom-llm", model.path("url").asText(), "", headers, CUSTOM_LLM_FAILURE);
  }

  static Config config(ActorSystem<?> system) {
    return system.settings().config().getConfig("parley.call-actors.providers.openai");
  }
}
