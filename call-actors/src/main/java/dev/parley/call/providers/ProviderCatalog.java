package dev.parley.call.providers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.pekko.actor.typed.ActorSystem;

import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.Providers;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.TextToSpeech;
import dev.parley.call.provider.VoiceActivityDetector;
import dev.parley.call.providers.deepgram.DeepgramSpeechToText;
import dev.parley.call.providers.flite.FliteTextToSpeech;
import dev.parley.call.providers.openai.OpenAiChatModel;
import dev.parley.call.providers.openai.OpenAiSpeech;
import dev.parley.call.providers.pocketsphinx.PocketSphinxSpeechToText;
import dev.parley.call.providers.scripted.ScriptedModel;
import dev.parley.call.providers.silero.SileroVad;

/**
 * The providers a node offers its calls, by the names assistants use. A provider that cannot load
 * (a native library or model missing) is left out with a warning naming the fix; a call whose
 * assistant names a missing provider ends at once with that provider's pipeline error.
 */
public final class ProviderCatalog {

  private ProviderCatalog() {}

  public static Providers create(ActorSystem<?> system) {
    Map<String, SpeechToText> transcribers = new HashMap<>();
    Map<String, LanguageModel> models = new HashMap<>();
    Map<String, TextToSpeech> voices = new HashMap<>();
    putIfLoaded(transcribers, "parley-pocketsphinx", optional(system, "parley-pocketsphinx",
        () -> PocketSphinxSpeechToText.create(system)));
    transcribers.put("deepgram", DeepgramSpeechToText.create(system));
    models.put("parley-scripted", ScriptedModel.create(system));
    models.put("openai", OpenAiChatModel.create(system));
    models.put("custom-llm", OpenAiChatModel.createCustomLlm(system));
    putIfLoaded(voices, "parley-flite", optional(system, "parley-flite", () -> FliteTextToSpeech.create(system)));
    voices.put("openai", OpenAiSpeech.create(system));
    VoiceActivityDetector vad = optional(system, "parley-silero", () -> SileroVad.create(system));
    return new Providers(Map.copyOf(transcribers), Map.copyOf(models), Map.copyOf(voices), vad);
  }

  private static <T> void putIfLoaded(Map<String, T> providers, String name, T provider) {
    if (provider != null) {
      providers.put(name, provider);
    }
  }

  /** Start-up only: a provider that loads native code or a model; null (and a warning) when it cannot. */
  static <T> T optional(ActorSystem<?> system, String name, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (RuntimeException | LinkageError e) {
      system.log().warn("Provider {} is not available: {}", name, e.getMessage());
      return null;
    }
  }
}
