package dev.parley.call.provider;

import java.util.Map;
import java.util.Optional;

/**
 * The providers a node offers, by the names an assistant uses ({@code transcriber.provider},
 * {@code model.provider}, {@code voice.provider}), and the one voice activity detector.
 */
public record Providers(
    Map<String, SpeechToText> transcribers,
    Map<String, LanguageModel> models,
    Map<String, TextToSpeech> voices,
    VoiceActivityDetector vad) {

  public Optional<SpeechToText> transcriber(String name) {
    return Optional.ofNullable(transcribers.get(name));
  }

  public Optional<LanguageModel> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  public Optional<TextToSpeech> voice(String name) {
    return Optional.ofNullable(voices.get(name));
  }
}
