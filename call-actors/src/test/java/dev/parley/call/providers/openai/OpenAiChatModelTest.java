package dev.parley.call.providers.openai;

import static dev.parley.call.providers.openai.LoopbackOpenAi.JSON;
import static dev.parley.call.providers.openai.LoopbackOpenAi.SSE;
import static dev.parley.call.providers.openai.LoopbackOpenAi.chunk;
import static dev.parley.call.providers.openai.LoopbackOpenAi.sse;
import static dev.parley.call.providers.openai.LoopbackOpenAi.streamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;

import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.ProviderException;

/** Chat completions against a loopback server speaking OpenAI's streaming protocol. */
class OpenAiChatModelTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory
      .parseString("parley.call-actors.providers.openai.api-key = \"\"").withFallback(ConfigFactory.load()));
  private static final Materializer materializer = Materializer.matFromSystem(testKit.system());
  private static final String KEY = "sk-test-1234";
  @RegisterExtension
  static final LoopbackOpenAi server = LoopbackOpenAi.start();
  private static final OpenAiChatModel openai =
      OpenAiChatModel.openAi(testKit.system(), server.baseUrl(), KEY, Duration.ofSeconds(10));

  @AfterAll
  static void stop() throws Exception {
    Http.get(testKit.system()).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  @Test
  void textStreamsAsDeltasFromARequestInOpenAisShape() throws Exception {
    server.answer(request -> streamed(SSE, sse(List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null),
        chunk("{\"content\":\"Hello\"}", null),
        chunk("{\"content\":\"! How\"}", null),
        chunk("{\"content\":\" can I help?\"}", null),
        chunk("{}", "stop"),
        "[DONE]"), 1000)));
    ObjectNode model = (ObjectNode) JSON.readTree(
        "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"temperature\":0.3,\"maxTokens\":150}");
    JsonNode weatherTool = JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}");
    List<ChatMessage> messages = List.of(ChatMessage.system("You are brief."), ChatMessage.user("Weather in Paris?"),
        new ChatMessage("assistant", null, List.of(new ChatMessage.ToolCall("call_1", "get_weather",
            "{\"city\":\"Paris\"}")), null),
        ChatMessage.toolResult("call_1", "Sunny"), ChatMessage.assistant("It is sunny."), ChatMessage.user("Thanks"));

    assertEquals(List.of(text("Hello"), text("! How"), text(" can I help?")),
        run(openai, new ModelRequest(model, messages, List.of(weatherTool))));

    LoopbackOpenAi.Received sent = server.nextRequest();
    assertEquals("POST", sent.method());
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals("Bearer " + KEY, sent.headers().get("authorization"));
    assertEquals(JSON.readTree("""
        {"model": "gpt-4o-mini",
         "messages": [
           {"role": "system", "content": "You are brief."},
           {"role": "user", "content": "Weather in Paris?"},
           {"role": "assistant", "content": null, "tool_calls": [
             {"id": "call_1", "type": "function",
              "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
           {"role": "tool", "content": "Sunny", "tool_call_id": "call_1"},
           {"role": "assistant", "content": "It is sunny."},
           {"role": "user", "content": "Thanks"}],
         "tools": [{"type": "function", "function": {"name": "get_weather",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
         "temperature": 0.3,
         "max_tokens": 150,
         "stream": true}"""), sent.body());
  }

  @Test
  void toolCallsSplitOverManyChunksArriveWholeInIndexOrder() throws Exception {
    server.answer(request -> streamed(SSE, sse(List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"Let me check.\"}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_Wx1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"Par\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_Ec2\",\"type\":\"function\","
            + "\"function\":{\"name\":\"endCall\",\"arguments\":\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]}", null),
        chunk("{}", "tool_calls"),
        "[DONE]"),
        // Cut into 7-byte pieces, so events and even UTF-8 lines straddle network chunks.
        7)));
    assertEquals(List.of(text("Let me check."),
            new ModelEvent.ToolCallRequested(
                new ChatMessage.ToolCall("call_Wx1", "get_weather", "{\"city\": \"Paris\"}")),
            new ModelEvent.ToolCallRequested(new ChatMessage.ToolCall("call_Ec2", "endCall", "{}"))),
        run(openai, request("{\"provider\":\"openai\",\"model\":\"gpt-4o\"}")));
    JsonNode body = server.nextRequest().body();
    assertFalse(body.has("tools"));
    assertFalse(body.has("temperature"));
    assertFalse(body.has("max_tokens"));
  }

  @Test
  void deltasPassOnBeforeTheReplyEnds() throws Exception {
    CompletableFuture<Done> rest = new CompletableFuture<>();
    server.answer(request -> streamed(SSE, sse(List.of(chunk("{\"content\":\"First\"}", null)), 1000)
        .concat(Source.completionStage(rest)
            .flatMapConcat(go -> sse(List.of(chunk("{\"content\":\" second\"}", "stop"), "[DONE]"), 1000)))));
    SinkQueueWithCancel<ModelEvent> queue = openai.complete(request("{\"model\":\"gpt-4o\"}"))
        .runWith(Sink.queue(), materializer);
    assertEquals(Optional.of(text("First")), queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    rest.complete(Done.getInstance());
    assertEquals(Optional.of(text(" second")), queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(Optional.empty(), queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    server.nextRequest();
  }

  @Test
  void cancellingAbortsTheRequest() throws Exception {
    CompletableFuture<Done> serverSawTheEnd = new CompletableFuture<>();
    server.answer(request -> endlessReply(serverSawTheEnd));
    SinkQueueWithCancel<ModelEvent> queue = openai.complete(request("{\"model\":\"gpt-4o\"}"))
        .runWith(Sink.queue(), materializer);
    assertEquals(Optional.of(text(" more")), queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    queue.cancel();
    // The endless response stops only when the client drops the connection.
    serverSawTheEnd.get(10, TimeUnit.SECONDS);
    server.nextRequest();
  }

  @Test
  void cancellingBeforeTheResponseArrivesAbortsIt() throws Exception {
    CompletableFuture<Done> serverSawTheEnd = new CompletableFuture<>();
    CompletableFuture<Done> respond = new CompletableFuture<>();
    server.answerLater(request -> respond.thenApply(go -> endlessReply(serverSawTheEnd)));
    SinkQueueWithCancel<ModelEvent> queue = openai.complete(request("{\"model\":\"gpt-4o\"}"))
        .runWith(Sink.queue(), materializer);
    queue.pull();
    server.nextRequest();
    queue.cancel();
    respond.complete(Done.getInstance());
    serverSawTheEnd.get(10, TimeUnit.SECONDS);
  }

  /** A reply that streams " more" until the client goes away, which completes {@code ended}. */
  private static HttpResponse endlessReply(CompletableFuture<Done> ended) {
    return streamed(SSE, Source.tick(Duration.ZERO, Duration.ofMillis(20),
            ByteString.fromString("data: " + chunk("{\"content\":\" more\"}", null) + "\n\n"))
        .watchTermination((notUsed, done) -> done.whenComplete((ok, failure) -> ended.complete(Done.getInstance()))));
  }

  @Test
  void httpErrorsFailWithTheStatusAndOpenAisMessage() throws Exception {
    server.answer(request -> LoopbackOpenAi.error(401, "Incorrect API key provided: sk-test-****1234.",
        "invalid_request_error"));
    assertFailure("pipeline-error-openai-llm-failed",
        "openai returned HTTP 401 Unauthorized: Incorrect API key provided: sk-test-****1234.", openai);
    server.answer(request -> LoopbackOpenAi.error(429, "Rate limit reached for gpt-4o.", "requests"));
    assertFailure("pipeline-error-openai-llm-failed",
        "openai returned HTTP 429 Too Many Requests: Rate limit reached for gpt-4o.", openai);
    server.answer(request -> HttpResponse.create().withStatus(502)
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "upstream connect error"));
    assertFailure("pipeline-error-openai-llm-failed", "openai returned HTTP 502 Bad Gateway: upstream connect error",
        openai);
  }

  @Test
  void aChunkThatIsNotJsonFails() throws Exception {
    server.answer(request -> streamed(SSE, sse(List.of(chunk("{\"content\":\"Hi\"}", null), "{not json"), 1000)));
    assertFailure("pipeline-error-openai-llm-failed", "openai: a stream chunk is not JSON: {not json", openai);
  }

  @Test
  void anErrorReportedInsideTheStreamFails() throws Exception {
    server.answer(request -> streamed(SSE, sse(List.of(
        "{\"error\":{\"message\":\"The server had an error while processing your request.\","
            + "\"type\":\"server_error\"}}"),
        1000)));
    assertFailure("pipeline-error-openai-llm-failed",
        "openai: the stream reported an error: The server had an error while processing your request.", openai);
  }

  @Test
  void aStreamThatStopsBeforeTheReplyFinishedFails() throws Exception {
    server.answer(request -> streamed(SSE, sse(List.of(chunk("{\"content\":\"Half a\"}", null)), 1000)));
    assertFailure("pipeline-error-openai-llm-failed",
        "openai: the stream ended before the reply finished (no finish_reason and no [DONE])", openai);
  }

  @Test
  void aResponseThatIsNotAnEventStreamFails() throws Exception {
    server.answer(request -> HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, "{\"choices\":[]}"));
    ProviderException error = failure(openai, request("{\"model\":\"gpt-4o\"}"));
    assertEquals("pipeline-error-openai-llm-failed", error.endedReason());
    assertTrue(error.getMessage().startsWith("openai: the response stream failed: ")
        && error.getMessage().contains("text/event-stream"), error.getMessage());
    server.nextRequest();
  }

  @Test
  void anUnreachableServerFails() throws Exception {
    String closed = LoopbackOpenAi.closedBaseUrl();
    ProviderException error = failure(OpenAiChatModel.openAi(testKit.system(), closed, KEY, Duration.ofSeconds(10)),
        request("{\"model\":\"gpt-4o\"}"));
    assertEquals("pipeline-error-openai-llm-failed", error.endedReason());
    assertTrue(error.getMessage().startsWith("openai: could not reach " + closed + "/chat/completions: "),
        error.getMessage());
  }

  @Test
  void noConfiguredKeyFailsWithoutARequest() throws Exception {
    ProviderException error = failure(OpenAiChatModel.create(testKit.system()), request("{\"model\":\"gpt-4o\"}"));
    assertEquals("pipeline-error-openai-llm-failed", error.endedReason());
    assertEquals("openai: no API key is configured; set PARLEY_OPENAI_API_KEY"
        + " (parley.call-actors.providers.openai.api-key)", error.getMessage());
    ProviderException noModel = failure(openai, request("{\"provider\":\"openai\"}"));
    assertEquals("openai: the assistant's model.model (the model name) is required", noModel.getMessage());
    assertTrue(server.receivedNothing());
  }

  @Test
  void customLlmUsesModelUrlAndHeadersAndItsOwnFailureReason() throws Exception {
    OpenAiChatModel custom = OpenAiChatModel.createCustomLlm(testKit.system());
    String model = "{\"provider\":\"custom-llm\",\"model\":\"my-llm\",\"url\":\"" + server.baseUrl() + "/\","
        + "\"headers\":{\"X-Tenant\":\"acme\"}}";
    server.answer(request -> streamed(SSE, sse(List.of(chunk("{\"content\":\"Hi\"}", "stop"), "[DONE]"), 1000)));
    assertEquals(List.of(text("Hi")), run(custom, request(model)));
    LoopbackOpenAi.Received sent = server.nextRequest();
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals("acme", sent.headers().get("x-tenant"));
    assertFalse(sent.headers().containsKey("authorization"));
    assertEquals("my-llm", sent.body().path("model").asText());

    server.answer(request -> LoopbackOpenAi.error(500, "model crashed", "server_error"));
    assertFailure("pipeline-error-custom-llm-llm-failed",
        "custom-llm returned HTTP 500 Internal Server Error: model crashed", custom, model);
    ProviderException noUrl = failure(custom, request("{\"provider\":\"custom-llm\",\"model\":\"x\"}"));
    assertEquals("pipeline-error-custom-llm-llm-failed", noUrl.endedReason());
    assertEquals("custom-llm: the assistant's model.url is required", noUrl.getMessage());
  }

  @Test
  void aServerThatDoesNotAnswerInTimeFails() throws Exception {
    CompletableFuture<HttpResponse> late = new CompletableFuture<>();
    server.answerLater(request -> late);
    String model = "{\"provider\":\"custom-llm\",\"model\":\"slow\",\"url\":\"" + server.baseUrl() + "\","
        + "\"timeoutSeconds\":0.5}";
    assertFailure("pipeline-error-custom-llm-llm-failed", "custom-llm: no response within 500 ms",
        OpenAiChatModel.createCustomLlm(testKit.system()), model);
    late.complete(HttpResponse.create().withStatus(503));
  }

  @Test
  void manyRepliesStreamAtOnce() throws Exception {
    int replies = 12;
    List<CompletableFuture<Done>> ended = new java.util.ArrayList<>();
    for (int i = 0; i < replies; i++) {
      ended.add(new CompletableFuture<>());
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    server.answer(request -> endlessReply(ended.get(next.getAndIncrement())));
    List<SinkQueueWithCancel<ModelEvent>> queues = new java.util.ArrayList<>();
    for (int i = 0; i < replies; i++) {
      queues.add(openai.complete(request("{\"model\":\"gpt-4o\"}")).runWith(Sink.queue(), materializer));
    }
    // All of them stream together: Pekko's default pool (4 connections per host) would hold back the rest.
    for (SinkQueueWithCancel<ModelEvent> queue : queues) {
      assertEquals(Optional.of(text(" more")), queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    queues.forEach(SinkQueueWithCancel::cancel);
    for (CompletableFuture<Done> end : ended) {
      end.get(10, TimeUnit.SECONDS);
    }
  }

  private static void assertFailure(String endedReason, String message, OpenAiChatModel model) throws Exception {
    assertFailure(endedReason, message, model, "{\"model\":\"gpt-4o\"}");
  }

  private static void assertFailure(String endedReason, String message, OpenAiChatModel model, String modelJson)
      throws Exception {
    ProviderException error = failure(model, request(modelJson));
    assertEquals(endedReason, error.endedReason());
    assertEquals(message, error.getMessage());
    server.nextRequest();
  }

  private static ProviderException failure(OpenAiChatModel model, ModelRequest request) {
    ExecutionException failure = assertThrows(ExecutionException.class, () -> run(model, request));
    return assertInstanceOf(ProviderException.class, failure.getCause());
  }

  private static List<ModelEvent> run(OpenAiChatModel model, ModelRequest request) throws Exception {
    return model.complete(request).runWith(Sink.seq(), materializer).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static ModelRequest request(String model) throws Exception {
    return new ModelRequest(JSON.readTree(model), List.of(ChatMessage.user("Hello")), List.of());
  }

  private static ModelEvent text(String text) {
    return new ModelEvent.TextDelta(text);
  }
}
