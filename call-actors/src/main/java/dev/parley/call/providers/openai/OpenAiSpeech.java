package dev.parley.call.providers.openai;

import java.time.Duration;
import java.util.Map;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Resampler;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.TextToSpeech;

/**
 * {@code voice.provider = "openai"}: OpenAI's {@code /audio/speech} with {@code response_format}
 * {@code pcm}, whose body streams 24 kHz 16-bit mono PCM; each piece is resampled to the
 * platform's 16 kHz (on the speech dispatcher) and passed on as it arrives. {@code voice.model}
 * defaults to {@code tts-1}, {@code voice.voiceId} to {@code alloy}; {@code speed} and
 * {@code instructions} are sent when set.
 */
public final class OpenAiSpeech implements TextToSpeech {

  public static final String PROVIDER = "openai";
  static final String FAILURE_REASON = "pipeline-error-openai-voice-failed";
  static final int OPENAI_PCM_RATE = 24_000;
  static final String DEFAULT_MODEL = "tts-1";
  static final String DEFAULT_VOICE = "alloy";

  private final OpenAiClient client;
  private final String baseUrl;
  private final String apiKey;
  private final Duration firstChunkTimeout;
  private final String speechDispatcher;

  OpenAiSpeech(ActorSystem<?> system, String baseUrl, String apiKey, Duration firstChunkTimeout) {
    this.client = new OpenAiClient(system);
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.firstChunkTimeout = firstChunkTimeout;
    this.speechDispatcher = system.settings().config().getString("parley.call-actors.live.speech-dispatcher");
  }

  /** parley.call-actors.providers.openai.{base-url, api-key}. */
  public static OpenAiSpeech create(ActorSystem<?> system) {
    Config config = OpenAiChatModel.config(system);
    return new OpenAiSpeech(system, config.getString("base-url"), config.getString("api-key"),
        config.getDuration("first-chunk-timeout"));
  }

  @Override
  public Source<ByteString, NotUsed> synthesize(String text, JsonNode voice) {
    if (text.isBlank()) {
      return Source.empty();
    }
    if (apiKey.isBlank()) {
      return Source.failed(new ProviderException(FAILURE_REASON, "openai voice: no API key is configured;"
          + " set PARLEY_OPENAI_API_KEY (parley.call-actors.providers.openai.api-key)"));
    }
    OpenAiEndpoint endpoint = new OpenAiEndpoint("openai voice", baseUrl, apiKey, Map.of(), FAILURE_REASON);
    return client.post(endpoint, "/audio/speech", body(text, voice))
        .flatMapConcat(response -> response.entity().getDataBytes())
        .initialTimeout(firstChunkTimeout)
        .via(resampled())
        .mapError(OpenAiFailures.midStream(endpoint, firstChunkTimeout));
  }

  static ObjectNode body(String text, JsonNode voice) {
    ObjectNode body = OpenAiClient.JSON.createObjectNode()
        .put("model", voice.path("model").asText(DEFAULT_MODEL))
        .put("voice", voice.path("voiceId").asText(DEFAULT_VOICE))
        .put("input", text)
        .put("response_format", "pcm");
    if (voice.path("speed").isNumber()) {
      body.set("speed", voice.path("speed"));
    }
    if (voice.path("instructions").isTextual()) {
      body.set("instructions", voice.path("instructions"));
    }
    return body;
  }

  /** 24 kHz to 16 kHz, one resampler per synthesis so its filter history stays with its audio. */
  private Flow<ByteString, ByteString, NotUsed> resampled() {
    return Flow.<ByteString>create()
        .statefulMap(() -> new Resampler(OPENAI_PCM_RATE, Pcm16.SAMPLE_RATE),
            (resampler, chunk) -> org.apache.pekko.japi.Pair.create(resampler,
                ByteString.fromArrayUnsafe(resampler.process(chunk.toArrayUnsafe()))),
            resampler -> java.util.Optional.empty())
        .filter(chunk -> !chunk.isEmpty())
        .async(speechDispatcher);
  }
}
