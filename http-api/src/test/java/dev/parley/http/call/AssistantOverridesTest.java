package dev.parley.http.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.http.JsonMapper;

class AssistantOverridesTest {

  private static final String ASSISTANT = """
      {"name": "Desk", "firstMessage": "Hi {{name}}, {{unknown}} stays.",
       "model": {"provider": "openai", "model": "gpt-4o", "temperature": 0.3,
                 "messages": [{"role": "system", "content": "Help {{ name }} with orders."}],
                 "tools": [{"type": "endCall"}]},
       "voice": {"provider": "11labs", "voiceId": "burt"}}
      """;

  @Test
  void noOverridesLeaveTheAssistantAsItIs() {
    assertEquals(json(ASSISTANT), AssistantOverrides.apply(json(ASSISTANT), null));
  }

  @Test
  void topLevelFieldsReplaceObjectsMergeOneLevelToolsAppendAndVariablesFill() {
    ObjectNode assistant = json(ASSISTANT);
    ObjectNode overrides = json("""
        {"name": "Night desk", "voice": {"voiceId": "rachel"}, "model": {"temperature": 0.9},
         "maxDurationSeconds": 60, "tools:append": [{"type": "transferCall"}],
         "variableValues": {"name": "Ada"}}
        """);
    assertEquals(json("""
        {"name": "Night desk", "firstMessage": "Hi Ada, {{unknown}} stays.",
         "model": {"provider": "openai", "model": "gpt-4o", "temperature": 0.9,
                   "messages": [{"role": "system", "content": "Help Ada with orders."}],
                   "tools": [{"type": "endCall"}, {"type": "transferCall"}]},
         "voice": {"provider": "11labs", "voiceId": "rachel"}, "maxDurationSeconds": 60}
        """), AssistantOverrides.apply(assistant, overrides));
    assertEquals(json(ASSISTANT), assistant, "the assistant itself does not change");
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JsonMapper.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
