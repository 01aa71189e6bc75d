package dev.parley.call.providers.scripted;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.provider.ChatMessage;

/**
 * A scripted assistant's dialogue, read from {@code model.script}: keyword rules tried in order
 * against the caller's last message, a fallback, a greeting for when the caller has said nothing
 * yet, and goodbye phrases that end the call. Any field left out takes its default; a malformed
 * field is refused with a message naming it.
 */
record Script(List<Rule> rules, String fallbackReply, String greeting, List<String> goodbyePhrases,
    String goodbyeReply) {

  static final String DEFAULT_GREETING = "Hello! How can I help you today?";
  static final String DEFAULT_GOODBYE_REPLY = "Thank you for calling. Goodbye!";
  static final List<String> DEFAULT_GOODBYE_PHRASES = List.of("goodbye", "bye", "that's all");
  /** Without a configured fallback the caller's words are echoed back. */
  static final String ECHO_PREFIX = "You said: ";

  /** One rule: any of its keywords (a word or a phrase) in the caller's message selects its reply. */
  record Rule(List<String> keywords, String reply) {}

  /** What the script says next; {@code endCall} asks for the built-in endCall tool after it. */
  record Reply(String text, boolean endCall) {}

  static Script parse(JsonNode script) {
    if (script.isMissingNode() || script.isNull()) {
      return new Script(List.of(), null, DEFAULT_GREETING, DEFAULT_GOODBYE_PHRASES, DEFAULT_GOODBYE_REPLY);
    }
    if (!script.isObject()) {
      throw new IllegalArgumentException("model.script must be an object");
    }
    List<Rule> rules = new ArrayList<>();
    JsonNode rulesNode = script.path("rules");
    if (!rulesNode.isMissingNode() && !rulesNode.isArray()) {
      throw new IllegalArgumentException("model.script.rules must be an array");
    }
    for (int i = 0; i < rulesNode.size(); i++) {
      String at = "model.script.rules[" + i + "]";
      JsonNode rule = rulesNode.get(i);
      rules.add(new Rule(strings(rule.path("keywords"), at + ".keywords"), text(rule.path("reply"), at + ".reply")));
    }
    return new Script(List.copyOf(rules),
        optionalText(script.path("fallbackReply"), "model.script.fallbackReply", null),
        optionalText(script.path("greeting"), "model.script.greeting", DEFAULT_GREETING),
        script.has("goodbyePhrases") ? strings(script.path("goodbyePhrases"), "model.script.goodbyePhrases")
            : DEFAULT_GOODBYE_PHRASES,
        optionalText(script.path("goodbyeReply"), "model.script.goodbyeReply", DEFAULT_GOODBYE_REPLY));
  }

  /**
   * The reply to a conversation: the greeting when the caller has said nothing yet; otherwise the
   * caller's last message is matched against the goodbye phrases first, then the rules in order.
   */
  Reply reply(List<ChatMessage> messages) {
    String said = lastUserMessage(messages);
    if (said == null) {
      return new Reply(greeting, false);
    }
    if (Phrases.containsAny(said, goodbyePhrases)) {
      return new Reply(goodbyeReply, true);
    }
    for (Rule rule : rules) {
      if (Phrases.containsAny(said, rule.keywords())) {
        return new Reply(rule.reply(), false);
      }
    }
    return new Reply(fallbackReply != null ? fallbackReply : ECHO_PREFIX + said.strip(), false);
  }

  private static String lastUserMessage(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage message = messages.get(i);
      if ("user".equals(message.role()) && message.content() != null && !message.content().isBlank()) {
        return message.content();
      }
    }
    return null;
  }

  private static List<String> strings(JsonNode node, String name) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : node) {
      if (!value.isTextual() || Phrases.normalise(value.asText()).isEmpty()) {
        throw new IllegalArgumentException(name + " must hold only strings with at least one letter or digit");
      }
      values.add(value.asText());
    }
    return List.copyOf(values);
  }

  private static String text(JsonNode node, String name) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(name + " must be a non-empty string");
    }
    return node.asText();
  }

  private static String optionalText(JsonNode node, String name, String fallback) {
    return node.isMissingNode() || node.isNull() ? fallback : text(node, name);
  }
}
