package dev.parley.call.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The turn-taking settings of an assistant, with Vapi's defaults: first message, endpointing
 * ({@code startSpeakingPlan.waitSeconds}), barge-in ({@code stopSpeakingPlan}), timeouts and the
 * end-call phrases and message.
 */
record TurnSettings(
    String firstMessage,
    String firstMessageMode,
    boolean firstMessageInterruptible,
    Duration waitAfterSpeech,
    int interruptWords,
    Duration interruptVoice,
    Duration interruptBackoff,
    Duration silenceTimeout,
    Duration maxDuration,
    List<String> endCallPhrases,
    String endCallMessage) {

  static final String SPEAKS_FIRST = "assistant-speaks-first";
  static final String SPEAKS_FIRST_MODEL = "assistant-speaks-first-with-model-generated-message";
  static final String WAITS = "assistant-waits-for-user";

  static TurnSettings of(JsonNode assistant) {
    JsonNode start = assistant.path("startSpeakingPlan");
    JsonNode stop = assistant.path("stopSpeakingPlan");
    List<String> phrases = new ArrayList<>();
    assistant.path("endCallPhrases").forEach(p -> phrases.add(p.asText().toLowerCase(Locale.ROOT).trim()));
    return new TurnSettings(
        assistant.path("firstMessage").asText(""),
        assistant.path("firstMessageMode").asText(SPEAKS_FIRST),
        assistant.path("firstMessageInterruptionsEnabled").asBoolean(false),
        seconds(start.path("waitSeconds"), 0.4),
        stop.path("numWords").asInt(0),
        seconds(stop.path("voiceSeconds"), 0.2),
        seconds(stop.path("backoffSeconds"), 1.0),
        seconds(assistant.path("silenceTimeoutSeconds"), 30),
        seconds(assistant.path("maxDurationSeconds"), 600),
        List.copyOf(phrases),
        assistant.path("endCallMessage").asText(""));
  }

  private static Duration seconds(JsonNode node, double fallback) {
    double value = node.isNumber() ? node.asDouble() : fallback;
    return Duration.ofMillis(Math.round(value * 1000));
  }

  /** Whether the assistant's words contain an end-call phrase (case and punctuation ignored). */
  boolean saysEndCallPhrase(String text) {
    String normalized = normalize(text);
    return endCallPhrases.stream().map(TurnSettings::normalize)
        .anyMatch(p -> !p.isEmpty() && (" " + normalized + " ").contains(" " + p + " "));
  }

  private static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").replaceAll("\\s+", " ").trim();
  }
}
