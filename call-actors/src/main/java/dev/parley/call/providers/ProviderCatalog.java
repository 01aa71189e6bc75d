package dev.parley.call.providers;

import java.util.HashMap;
import java.util.Map;

import org.apache.pekko.actor.typed.ActorSystem;

import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.Providers;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.TextToSpeech;

/**
 * The providers a node offers its calls, by the names assistants use. Each provider family adds
 * itself here; a name an assistant uses that is missing ends its call with a pipeline error.
 */
public final class ProviderCatalog {

  private ProviderCatalog() {}

  public static Providers create(ActorSystem<?> system) {
    Map<String, SpeechToText> transcribers = new HashMap<>();
    Map<String, LanguageModel> models = new HashMap<>();
    Map<String, TextToSpeech> voices = new HashMap<>();
    return new Providers(Map.copyOf(transcribers), Map.copyOf(models), Map.copyOf(voices), null);
  }
}
