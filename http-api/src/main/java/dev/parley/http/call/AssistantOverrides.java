package dev.parley.http.call;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A call's {@code assistantOverrides} applied over its assistant: a top-level field replaces the
 * assistant's, except that an object given for an object field is merged into it one level deep
 * ({@code {"voice": {"voiceId": "awb"}}} keeps the voice's provider); {@code tools:append} adds to
 * {@code model.tools}; {@code variableValues} fill {@code {{name}}} placeholders in every text.
 */
final class AssistantOverrides {

  static final String VARIABLE_VALUES = "variableValues";
  static final String TOOLS_APPEND = "tools:append";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*\\}\\}");

  private AssistantOverrides() {}

  /** A new assistant; neither argument changes. {@code overrides} may be null. */
  static ObjectNode apply(ObjectNode assistant, ObjectNode overrides) {
    ObjectNode effective = assistant.deepCopy();
    if (overrides == null) {
      return effective;
    }
    overrides.properties().forEach(field -> {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals(VARIABLE_VALUES)) {
        return;
      }
      if (name.equals(TOOLS_APPEND)) {
        ObjectNode model = effective.get("model") instanceof ObjectNode m ? m : effective.putObject("model");
        ArrayNode tools = model.get("tools") instanceof ArrayNode t ? t : model.putArray("tools");
        value.forEach(tool -> tools.add(tool.deepCopy()));
      } else if (value instanceof ObjectNode given && effective.get(name) instanceof ObjectNode existing) {
        existing.setAll(given.deepCopy());
      } else {
        effective.set(name, value.deepCopy());
      }
    });
    if (overrides.get(VARIABLE_VALUES) instanceof ObjectNode values) {
      fill(effective, values);
    }
    return effective;
  }

  /** Replaces {@code {{name}}} in every text inside {@code node}; unknown names stay as they are. */
  private static void fill(JsonNode node, ObjectNode values) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isTextual()) {
          field.setValue(TextNode.valueOf(filled(field.getValue().asText(), values)));
        } else {
          fill(field.getValue(), values);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(filled(array.get(i).asText(), values)));
        } else {
          fill(array.get(i), values);
        }
      }
    }
  }

  private static String filled(String text, ObjectNode values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      JsonNode value = values.get(matcher.group(1));
      String replacement = value == null ? matcher.group() : value.isTextual() ? value.asText() : value.toString();
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(out).toString();
  }
}
