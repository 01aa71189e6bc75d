package dev.parley.node.rest;

import java.util.List;
import java.util.Map;

/** Realistic request bodies, as a Vapi customer's code would send them. */
final class Bodies {

  private Bodies() {}

  static Map<String, Object> fullAssistant(String name) {
    return Map.ofEntries(
        Map.entry("name", name),
        Map.entry("model", Map.of(
            "provider", "openai",
            "model", "gpt-4o",
            "temperature", 0.3,
            "maxTokens", 250,
            "messages", List.of(Map.of("role", "system", "content", "You answer questions about orders.")))),
        Map.entry("voice", Map.of("provider", "11labs", "voiceId", "burt")),
        Map.entry("transcriber", Map.of("provider", "deepgram", "model", "nova-2", "language", "en")),
        Map.entry("firstMessage", "Hello, this is the order desk. How can I help?"),
        Map.entry("firstMessageMode", "assistant-speaks-first"),
        Map.entry("endCallMessage", "Thanks for calling, goodbye."),
        Map.entry("endCallPhrases", List.of("goodbye", "that is all")),
        Map.entry("voicemailMessage", "Please call us back during opening hours."),
        Map.entry("maxDurationSeconds", 600),
        Map.entry("backgroundSound", "office"),
        Map.entry("startSpeakingPlan", Map.of("waitSeconds", 0.4)),
        Map.entry("stopSpeakingPlan", Map.of("numWords", 2, "voiceSeconds", 0.2, "backoffSeconds", 1)),
        Map.entry("serverMessages", List.of("end-of-call-report", "status-update")),
        Map.entry("clientMessages", List.of("transcript", "status-update")),
        Map.entry("server", Map.of("url", "https://example.com/parley-webhook")),
        Map.entry("metadata", Map.of("team", "orders", "tier", 2)),
        Map.entry("analysisPlan", Map.of("summaryPlan", Map.of("enabled", true))),
        Map.entry("artifactPlan", Map.of("recordingEnabled", false)));
  }

  static Map<String, Object> functionTool(String name) {
    return Map.of("type", "function", "function", Map.of(
        "name", name,
        "description", "Looks up the status of an order",
        "parameters", Map.of("type", "object",
            "properties", Map.of("orderId", Map.of("type", "string")),
            "required", List.of("orderId"))));
  }

  static Map<String, Object> squad(String name, String firstAssistantId, String secondAssistantId) {
    return Map.of("name", name, "members", List.of(
        Map.of("assistantId", firstAssistantId),
        Map.of("assistantId", secondAssistantId)));
  }

  static Map<String, Object> byoPhoneNumber(String number, String credentialId) {
    return Map.of("provider", "byo-phone-number", "name", "Front desk", "number", number,
        "numberE164CheckEnabled", true, "credentialId", credentialId);
  }

  static Map<String, Object> openAiCredential(String apiKey) {
    return Map.of("provider", "openai", "name", "OpenAI production", "apiKey", apiKey);
  }
}
