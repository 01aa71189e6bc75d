package dev.parley.loadtest.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;
import dev.parley.call.providers.deepgram.DeepgramSettings;
import dev.parley.call.providers.deepgram.DeepgramSpeechToText;

/** Each instant provider, called with the JDK's own HTTP and WebSocket clients. */
class InstantProvidersTest {

  private static final ActorSystem<Void> SYSTEM = ActorSystem.create(Behaviors.empty(), "InstantProvidersTest");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static InstantProviders.Started server;
  private static String base;
  private static String tagged;

  @BeforeAll
  static void start() throws Exception {
    server = InstantProviders.start(SYSTEM, 0, "hello there");
    base = "127.0.0.1:" + server.binding().toCompletableFuture().get(10, TimeUnit.SECONDS).localAddress().getPort()
        + "/v1";
    tagged = "127.0.0.1:" + InstantProviders.startTagged(SYSTEM, 0).binding().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).localAddress().getPort() + "/v1";
  }

  @AfterAll
  static void stop() {
    SYSTEM.terminate();
  }

  @Test
  void chatCompletionsStreamTheReplyAsDeltasThenDone() throws Exception {
    HttpResponse<String> response = post("/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
    List<String> data = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring("data: ".length()));
      }
    }
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder reply = new StringBuilder();
    for (String chunk : data.subList(0, data.size() - 1)) {
      JsonNode choice = JSON.readTree(chunk).path("choices").path(0);
      reply.append(choice.path("delta").path("content").asText(""));
    }
    assertEquals(InstantProviders.REPLY, reply.toString());
    assertEquals("assistant", JSON.readTree(data.get(0)).path("choices").path(0).path("delta").path("role").asText());
    assertEquals("stop", JSON.readTree(data.get(data.size() - 2)).path("choices").path(0).path("finish_reason").asText());
    assertEquals("gpt-4o-mini", JSON.readTree(data.get(1)).path("model").asText());
  }

  @Test
  void speechIsA24kHzToneOf60MsPerWord() throws Exception {
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + base + "/audio/speech"))
            .header("Authorization", "Bearer any").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"one two three four five\",\"response_format\":\"pcm\"}"))
            .build(), HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(200, response.statusCode());
    byte[] pcm = response.body();
    assertEquals(5 * 60 * 24_000 / 1000 * 2, pcm.length);
    short loudest = 0;
    ByteBuffer samples = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    while (samples.hasRemaining()) {
      loudest = (short) Math.max(loudest, Math.abs(samples.getShort()));
    }
    assertTrue(loudest > 7_000, "a tone, not silence: peak " + loudest);
  }

  @Test
  void speechInAnotherFormatIsAnOpenAiStyleError() throws Exception {
    HttpResponse<String> response = post("/audio/speech",
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"response_format\":\"mp3\"}");
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request_error", JSON.readTree(response.body()).path("error").path("type").asText());
  }

  @Test
  void listenAnswersEachFinalizeWithAFinalResultAndCloseStreamWithMetadata() throws Exception {
    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Token any")
        .buildAsync(URI.create("ws://" + base + "/listen?encoding=linear16&sample_rate=16000&channels=1"),
            new WebSocket.Listener() {
              private final StringBuilder text = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                  texts.add(text.toString());
                  text.setLength(0);
                }
                ws.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    long audioBefore = server.figures().listenAudioBytes.get();

    socket.sendBinary(ByteBuffer.wrap(new byte[3200]), true).get(10, TimeUnit.SECONDS);
    socket.sendText("{\"type\":\"KeepAlive\"}", true).get(10, TimeUnit.SECONDS);
    socket.sendText("{\"type\":\"Finalize\"}", true).get(10, TimeUnit.SECONDS);
    JsonNode result = JSON.readTree(texts.poll(10, TimeUnit.SECONDS));
    socket.sendText("{\"type\":\"CloseStream\"}", true).get(10, TimeUnit.SECONDS);
    JsonNode metadata = JSON.readTree(texts.poll(10, TimeUnit.SECONDS));

    assertEquals("Results", result.path("type").asText());
    assertTrue(result.path("is_final").asBoolean() && result.path("from_finalize").asBoolean());
    assertEquals("hello there", result.path("channel").path("alternatives").path(0).path("transcript").asText());
    assertEquals("Metadata", metadata.path("type").asText());
    assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
    assertEquals(3200, server.figures().listenAudioBytes.get() - audioBefore);
    assertTrue(server.figures().summary().contains("finalizes answered"), server.figures().summary());
  }

  @Test
  void theDeepgramTranscriberHearsTheConfiguredTranscriptAtEachEndOfSpeech() throws Exception {
    DeepgramSpeechToText stt = new DeepgramSpeechToText(SYSTEM, new DeepgramSettings("ws://" + base, "any",
        Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 64));

    List<Transcript> heard = Source.<SttInput>from(List.of(new SttInput.Audio(ByteString.fromArray(new byte[3200])),
            new SttInput.SpeechEnded()))
        .via(stt.open(JSON.readTree("{\"provider\":\"deepgram\"}")))
        .runWith(Sink.seq(), SYSTEM).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(List.of(new Transcript("hello there", true)), heard);
  }

  @Test
  void taggedTheTranscriberHearsWhichTurnWasSpokenAndTheModelNamesItWithTheTurnsBefore() throws Exception {
    DeepgramSpeechToText stt = new DeepgramSpeechToText(SYSTEM, new DeepgramSettings("ws://" + tagged, "any",
        Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 64));
    byte[] speech = new dev.parley.loadtest.robot.CallerVoice("rms").pcm("Tell me more.");

    List<Transcript> heard = Source.<SttInput>from(List.of(
            new SttInput.Audio(ByteString.fromArray(TurnTags.tagged(speech, 4))), new SttInput.SpeechEnded(),
            new SttInput.Audio(ByteString.fromArray(TurnTags.tagged(speech, 5))), new SttInput.SpeechEnded(),
            new SttInput.Audio(ByteString.fromArray(speech)), new SttInput.SpeechEnded()))
        .via(stt.open(JSON.readTree("{\"provider\":\"deepgram\"}")))
        .runWith(Sink.seq(), SYSTEM).toCompletableFuture().get(20, TimeUnit.SECONDS);
    HttpResponse<String> reply = post(tagged, "/chat/completions", "{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"turn 4\"},"
        + "{\"role\":\"assistant\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"turn 5\"}]}");
    HttpResponse<String> untagged = post(tagged, "/chat/completions",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

    assertEquals(List.of(new Transcript("turn 4", true), new Transcript("turn 5", true),
        new Transcript("hello there", true)), heard);
    assertEquals("Heard turn 5 after 1 turns.",
        JSON.readTree(reply.body()).path("choices").path(0).path("message").path("content").asText());
    assertEquals(InstantProviders.REPLY,
        JSON.readTree(untagged.body()).path("choices").path(0).path("message").path("content").asText());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return post(base, path, body);
  }

  private static HttpResponse<String> post(String server, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + server + path))
        .header("Authorization", "Bearer any").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
