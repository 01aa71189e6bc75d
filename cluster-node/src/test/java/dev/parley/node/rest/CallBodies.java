package dev.parley.node.rest;

import java.util.HashMap;
import java.util.Map;

/** Request bodies for {@code POST /call}. */
final class CallBodies {

  private CallBodies() {}

  static Map<String, Object> websocket(String format, int sampleRate) {
    return Map.of("provider", "vapi.websocket",
        "audioFormat", Map.of("format", format, "container", "raw", "sampleRate", sampleRate));
  }

  static Map<String, Object> withAssistantId(String assistantId) {
    Map<String, Object> body = new HashMap<>();
    body.put("assistantId", assistantId);
    body.put("transport", websocket("pcm_s16le", 16000));
    return body;
  }

  static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
    Map<String, Object> copy = new HashMap<>(body);
    copy.put(field, value);
    return copy;
  }

  static Map<String, Object> without(Map<String, Object> body, String field) {
    Map<String, Object> copy = new HashMap<>(body);
    copy.remove(field);
    return copy;
  }
}
