package dev.parley.call.providers.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real HTTP server on 127.0.0.1, in an actor system of its own, that speaks OpenAI's wire
 * protocol as each test scripts it: it records every request (path, headers, JSON body) and
 * answers with the response the test set, streamed in the pieces the test chose. Registered as a
 * JUnit extension it forgets each test's requests before the next and stops after the class.
 */
final class LoopbackOpenAi implements BeforeEachCallback, AfterAllCallback, AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  /** The content type OpenAI streams chat completions with. */
  static final org.apache.pekko.http.javadsl.model.ContentType SSE =
      ContentTypes.parse("text/event-stream; charset=utf-8");

  /** A request as the server received it; header names in lower case. */
  record Received(String method, String path, Map<String, String> headers, JsonNode body) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ActorTestKit serverKit = ActorTestKit.create("loopback-openai");
  private final ServerBinding binding;
  private volatile Function<Received, CompletionStage<HttpResponse>> answer;

  private LoopbackOpenAi() throws Exception {
    Materializer materializer = Materializer.matFromSystem(serverKit.system());
    binding = Http.get(serverKit.system()).newServerAt("127.0.0.1", 0)
        .bind((org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>)
            request -> handle(request, materializer))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    reset();
  }

  static LoopbackOpenAi start() {
    try {
      return new LoopbackOpenAi();
    } catch (Exception e) {
      throw new IllegalStateException("the loopback server did not start", e);
    }
  }

  /** The base URL of a server that was just stopped: connecting to it is refused. */
  static String closedBaseUrl() throws Exception {
    try (LoopbackOpenAi gone = start()) {
      return gone.baseUrl();
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/v1";
  }

  void answer(Function<Received, HttpResponse> answer) {
    this.answer = answer.andThen(CompletableFuture::completedFuture);
  }

  /** Answers when {@code answer}'s future completes: the response headers wait until then. */
  void answerLater(Function<Received, CompletionStage<HttpResponse>> answer) {
    this.answer = answer;
  }

  /** The next request the server received (waits for it). */
  Received nextRequest() throws InterruptedException {
    Received request = received.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the server received no request");
    }
    return request;
  }

  /** Forgets earlier requests and answers 404 until told otherwise. */
  void reset() {
    received.clear();
    answer(request -> HttpResponse.create().withStatus(StatusCodes.NOT_FOUND));
  }

  boolean receivedNothing() {
    return received.isEmpty();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serverKit.shutdownTestKit();
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request, Materializer materializer) {
    return request.entity().toStrict(10_000, materializer).thenCompose(body -> {
      Map<String, String> headers = StreamSupport.stream(request.getHeaders().spliterator(), false)
          .collect(Collectors.toMap(HttpHeader::lowercaseName, HttpHeader::value, (a, b) -> a + ", " + b));
      JsonNode json;
      try {
        json = body.getData().isEmpty() ? null : JSON.readTree(body.getData().utf8String());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      Received received = new Received(request.method().value(), request.getUri().path(), headers, json);
      this.received.add(received);
      return answer.apply(received);
    });
  }

  // ---- responses as OpenAI sends them ----

  /** A 200 whose body streams chunk-encoded, one HTTP chunk per element of {@code body}. */
  static HttpResponse streamed(org.apache.pekko.http.javadsl.model.ContentType type, Source<ByteString, ?> body) {
    return HttpResponse.create().withEntity(HttpEntities.createChunked(type, body));
  }

  /** Server-sent events, one {@code data:} line per payload, the bytes cut into pieces of {@code pieceBytes}. */
  static Source<ByteString, ?> sse(List<String> payloads, int pieceBytes) {
    StringBuilder text = new StringBuilder();
    for (String payload : payloads) {
      text.append("data: ").append(payload).append("\n\n");
    }
    return Source.from(pieces(ByteString.fromString(text.toString()), pieceBytes));
  }

  static List<ByteString> pieces(ByteString bytes, int pieceBytes) {
    List<ByteString> pieces = new ArrayList<>();
    for (int at = 0; at < bytes.size(); at += pieceBytes) {
      pieces.add(bytes.slice(at, Math.min(bytes.size(), at + pieceBytes)));
    }
    return pieces;
  }

  /** An error the way OpenAI reports one. */
  static HttpResponse error(int status, String message, String type) {
    String body = "{\"error\":{\"message\":" + JSON.valueToTree(message) + ",\"type\":\"" + type
        + "\",\"param\":null,\"code\":null}}";
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  /** One chat.completion.chunk as OpenAI streams it, around a {@code choices[0]} delta and finish reason. */
  static String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-AbC123\",\"object\":\"chat.completion.chunk\",\"created\":1732921200,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
        + "\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
  }
}
