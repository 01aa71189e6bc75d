package dev.parley.node.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Offline assistants the live-call tests talk to. */
final class Assistants {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String FIRST_MESSAGE = "Hello, this is the weather desk.";
  static final String WEATHER_REPLY = "It is sunny and warm today.";
  static final String TOMORROW_REPLY = "Tomorrow will be cloudy with some rain.";
  static final String UMBRELLA_REPLY = "Yes, take an umbrella with you.";
  static final String STORY_REPLY = "Once upon a time there was a small town by the sea. "
      + "Every morning the fishermen went out in their boats. "
      + "In the evening they came back with baskets full of fish. "
      + "The children ran down to the harbor to meet them. "
      + "And everyone had dinner together by the water.";

  private Assistants() {}

  /** The weather desk: three keyword rules, flite kal16 voice, PocketSphinx ears. */
  static ObjectNode weatherDesk() {
    return parse("""
        {"name": "Weather desk",
         "firstMessage": "%s",
         "model": {"provider": "parley-scripted", "model": "script", "script": {
           "rules": [
             {"keywords": ["weather"], "reply": "%s"},
             {"keywords": ["tomorrow"], "reply": "%s"},
             {"keywords": ["umbrella"], "reply": "%s"},
             {"keywords": ["story"], "reply": "%s"}],
           "fallbackReply": "Sorry, could you say that again?"}},
         "voice": {"provider": "parley-flite", "voiceId": "kal16"},
         "transcriber": {"provider": "parley-pocketsphinx"}}
        """.formatted(FIRST_MESSAGE, WEATHER_REPLY, TOMORROW_REPLY, UMBRELLA_REPLY, STORY_REPLY));
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ObjectNode with(ObjectNode assistant, String field, JsonNode value) {
    ObjectNode copy = assistant.deepCopy();
    copy.set(field, value);
    return copy;
  }
}
