package dev.parley.loadtest.robot;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON text frame from the server, parsed, with its arrival time (System.nanoTime()). */
public record ReceivedMessage(long atNanos, JsonNode json) {

  public String type() {
    return json.path("type").asText("");
  }

  /** The message in a few words, for failure messages: type and its telling fields. */
  public String brief() {
    StringBuilder text = new StringBuilder(type());
    for (String field : new String[] {"status", "role", "transcriptType", "endedReason", "message", "transcript"}) {
      JsonNode value = json.get(field);
      if (value != null && value.isValueNode()) {
        String shown = value.asText();
        text.append(' ').append(field).append('=').append(shown.length() > 40 ? shown.substring(0, 40) + "..." : shown);
      }
    }
    return text.toString();
  }
}
