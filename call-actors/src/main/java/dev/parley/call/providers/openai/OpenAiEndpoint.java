package dev.parley.call.providers.openai;

import java.util.Map;

/**
 * Where one request to an OpenAI-compatible API goes: the base URL (ending before
 * {@code /chat/completions}), the bearer key (empty: no Authorization header), extra headers, and
 * how a failure is reported ({@code label} in messages, {@code failureReason} as Vapi's endedReason).
 */
record OpenAiEndpoint(String label, String baseUrl, String apiKey, Map<String, String> headers,
    String failureReason) {

  String url(String path) {
    return baseUrl.replaceAll("/+$", "") + path;
  }
}
