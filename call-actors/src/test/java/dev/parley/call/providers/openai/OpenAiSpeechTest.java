package dev.parley.call.providers.openai;

import static dev.parley.call.providers.openai.LoopbackOpenAi.JSON;
import static dev.parley.call.providers.openai.LoopbackOpenAi.pieces;
import static dev.parley.call.providers.openai.LoopbackOpenAi.streamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.audio.Resampler;
import dev.parley.call.provider.ProviderException;

/** OpenAI speech against a loopback server streaming 24 kHz PCM the way /audio/speech does. */
class OpenAiSpeechTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Materializer materializer = Materializer.matFromSystem(testKit.system());
  private static final ContentType PCM = ContentTypes.parse("audio/pcm");
  private static final String KEY = "sk-test-5678";
  /** 0.3 s of a 440 Hz tone at 24 kHz: 7200 samples. */
  private static final ByteString TONE_24K = tone(7200);
  @RegisterExtension
  static final LoopbackOpenAi server = LoopbackOpenAi.start();
  private static final OpenAiSpeech speech =
      new OpenAiSpeech(testKit.system(), server.baseUrl(), KEY, Duration.ofSeconds(10));

  @AfterAll
  static void stop() throws Exception {
    Http.get(testKit.system()).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  @Test
  void pcmStreamsResampledTo16kHzFromARequestInOpenAisShape() throws Exception {
    // odd-sized pieces: samples straddle network chunks
    server.answer(request -> streamed(PCM, Source.from(pieces(TONE_24K, 1001))));
    ByteString audio = run(speech.synthesize("Hello there.", JSON.readTree("{\"provider\":\"openai\"}")));

    assertEquals(2 * 4800, audio.size(), "two thirds of 7200 samples, two bytes each");
    assertEquals(ByteString.fromArrayUnsafe(new Resampler(24_000, 16_000).process(TONE_24K.toArray())), audio);
    LoopbackOpenAi.Received sent = server.nextRequest();
    assertEquals("POST", sent.method());
    assertEquals("/v1/audio/speech", sent.path());
    assertEquals("Bearer " + KEY, sent.headers().get("authorization"));
    assertEquals(JSON.readTree(
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"Hello there.\",\"response_format\":\"pcm\"}"),
        sent.body());
  }

  @Test
  void theVoicesModelIdSpeedAndInstructionsAreSent() throws Exception {
    server.answer(request -> streamed(PCM, Source.single(TONE_24K)));
    JsonNode voice = JSON.readTree("{\"provider\":\"openai\",\"model\":\"gpt-4o-mini-tts\",\"voiceId\":\"nova\","
        + "\"speed\":1.25,\"instructions\":\"Speak warmly.\"}");
    run(speech.synthesize("Hi.", voice));
    assertEquals(JSON.readTree("{\"model\":\"gpt-4o-mini-tts\",\"voice\":\"nova\",\"input\":\"Hi.\","
        + "\"response_format\":\"pcm\",\"speed\":1.25,\"instructions\":\"Speak warmly.\"}"),
        server.nextRequest().body());
  }

  @Test
  void audioPassesOnBeforeTheBodyEnds() throws Exception {
    CompletableFuture<Done> rest = new CompletableFuture<>();
    ByteString first = TONE_24K.slice(0, 4800);
    server.answer(request -> streamed(PCM, Source.single(first)
        .concat(Source.completionStage(rest).map(go -> TONE_24K.slice(4800, TONE_24K.size())))));
    SinkQueueWithCancel<ByteString> queue = speech.synthesize("Hello.", JSON.createObjectNode())
        .runWith(Sink.queue(), materializer);
    Optional<ByteString> early = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(early.isPresent() && !early.get().isEmpty());
    rest.complete(Done.getInstance());
    int total = early.get().size();
    for (Optional<ByteString> next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS); next.isPresent();
        next = queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      total += next.get().size();
    }
    assertEquals(2 * 4800, total);
  }

  @Test
  void blankTextIsSilenceWithoutARequest() throws Exception {
    assertEquals(ByteString.emptyByteString(), run(speech.synthesize("  ", JSON.createObjectNode())));
    assertTrue(server.receivedNothing());
  }

  @Test
  void httpErrorsFailWithTheStatusAndOpenAisMessage() throws Exception {
    server.answer(request -> LoopbackOpenAi.error(401, "Incorrect API key provided: sk-test-****5678.",
        "invalid_request_error"));
    assertFailure("openai voice returned HTTP 401 Unauthorized: Incorrect API key provided: sk-test-****5678.");
    server.answer(request -> LoopbackOpenAi.error(400, "[{'type': 'enum', 'loc': ('body', 'voice')}]",
        "invalid_request_error"));
    assertFailure("openai voice returned HTTP 400 Bad Request: [{'type': 'enum', 'loc': ('body', 'voice')}]");
  }

  @Test
  void aConnectionCutMidStreamFails() throws Exception {
    CompletableFuture<ByteString> rest = new CompletableFuture<>();
    server.answer(request -> streamed(PCM,
        Source.single(TONE_24K.slice(0, 4800)).concat(Source.completionStage(rest))));
    SinkQueueWithCancel<ByteString> queue = speech.synthesize("Hello.", JSON.createObjectNode())
        .runWith(Sink.queue(), materializer);
    assertTrue(queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS).isPresent());
    // The server's synthesis breaks after the first audio went out: it aborts the connection.
    rest.completeExceptionally(new IllegalStateException("synthesis crashed"));
    ExecutionException failure = assertThrows(ExecutionException.class, () -> {
      while (queue.pull().toCompletableFuture().get(10, TimeUnit.SECONDS).isPresent()) {
        // drain what arrived before the cut
      }
    });
    ProviderException error = assertInstanceOf(ProviderException.class, failure.getCause());
    assertEquals("pipeline-error-openai-voice-failed", error.endedReason());
    assertTrue(error.getMessage().startsWith("openai voice: the response stream failed: "), error.getMessage());
    server.nextRequest();
  }

  @Test
  void anUnreachableServerOrMissingKeyFails() throws Exception {
    String closed = LoopbackOpenAi.closedBaseUrl();
    ProviderException unreachable = failure(new OpenAiSpeech(testKit.system(), closed, KEY, Duration.ofSeconds(10)));
    assertEquals("pipeline-error-openai-voice-failed", unreachable.endedReason());
    assertTrue(unreachable.getMessage().startsWith("openai voice: could not reach " + closed + "/audio/speech: "),
        unreachable.getMessage());
    ProviderException noKey = failure(new OpenAiSpeech(testKit.system(), server.baseUrl(), "", Duration.ofSeconds(10)));
    assertEquals("pipeline-error-openai-voice-failed", noKey.endedReason());
    assertEquals("openai voice: no API key is configured; set PARLEY_OPENAI_API_KEY"
        + " (parley.call-actors.providers.openai.api-key)", noKey.getMessage());
    assertTrue(server.receivedNothing());
  }

  private static void assertFailure(String message) throws Exception {
    ProviderException error = failure(speech);
    assertEquals("pipeline-error-openai-voice-failed", error.endedReason());
    assertEquals(message, error.getMessage());
    server.nextRequest();
  }

  private static ProviderException failure(OpenAiSpeech speech) {
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> run(speech.synthesize("Hello.", JSON.createObjectNode())));
    return assertInstanceOf(ProviderException.class, failure.getCause());
  }

  private static ByteString run(Source<ByteString, ?> audio) throws Exception {
    List<ByteString> chunks = audio.runWith(Sink.seq(), materializer).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return chunks.stream().reduce(ByteString.emptyByteString(), ByteString::concat);
  }

  private static ByteString tone(int samples) {
    byte[] bytes = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      short value = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 24_000.0));
      bytes[2 * i] = (byte) value;
      bytes[2 * i + 1] = (byte) (value >> 8);
    }
    return ByteString.fromArrayUnsafe(bytes);
  }
}
