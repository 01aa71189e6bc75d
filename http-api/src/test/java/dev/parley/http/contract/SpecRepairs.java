package dev.parley.http.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fixes for schemas in Vapi's openapi.json that contradict Vapi's documented behaviour (and, mostly,
 * its SDK's types). Without them a strict validator rejects valid bodies that use those fields.
 * {@link #applyTo} answers one line per repair, so a test can show what was changed.
 */
final class SpecRepairs {

  /**
   * Single fields whose declared item type contradicts the spec's own example ({@code [400, 401]}):
   * the generator wrote {@code object} for numbers (SDK 2.0.1 copies it as {@code Record[]}).
   */
  private static final Map<String, String> ITEM_TYPE_FIXES = Map.of(
      "/components/schemas/BackoffPlan/properties/excludedStatusCodes/items", "number");

  private static final Pattern REGEX_LITERAL = Pattern.compile("/(.*)/[a-z]*");
  private static final Pattern UNEXPANDED_CONSTANT = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+_PATTERN");

  private SpecRepairs() {}

  /** Repairs the document in place; answers one line per repaired schema. */
  static List<String> applyTo(ObjectNode document) {
    List<String> repaired = new ArrayList<>();
    walk(document, document, "", repaired);
    ITEM_TYPE_FIXES.forEach((pointer, type) -> {
      JsonNode node = document.at(pointer);
      if (node instanceof ObjectNode items && !type.equals(items.path("type").asText())) {
        items.put("type", type);
        repaired.add(pointer + ": items are " + type + "s, as the spec's own example says");
      }
    });
    return repaired;
  }

  private static void walk(JsonNode document, JsonNode node, String pointer, List<String> repaired) {
    if (node instanceof ObjectNode schema) {
      repairArrayLevelEnum(schema, pointer, repaired);
      repairObjectTypedStringEnum(schema, pointer, repaired);
      UnionRepairs.repairUndiscriminatedOneOf(document, schema, pointer, repaired);
      repairPattern(schema, pointer, repaired);
      schema.properties().forEach(field ->
          walk(document, field.getValue(), pointer + "/" + escape(field.getKey()), repaired));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        walk(document, array.get(i), pointer + "/" + i, repaired);
      }
    }
  }

  /**
   * NestJS's swagger plugin writes {@code enum} on the array as well as on its items
   * ({@code serverMessages}, {@code clientMessages}, ...): taken literally, the array itself would
   * have to equal one of the strings. The items keep the constraint.
   */
  private static void repairArrayLevelEnum(ObjectNode schema, String pointer, List<String> repaired) {
    if ("array".equals(schema.path("type").asText()) && schema.has("enum")) {
      JsonNode values = schema.remove("enum");
      JsonNode items = schema.get("items");
      if (items instanceof ObjectNode itemSchema && !itemSchema.has("enum")) {
        itemSchema.set("enum", values);
      } else if (items == null) {
        schema.set("items", JsonNodeFactory.instance.objectNode().put("type", "string").set("enum", values));
      }
      repaired.add(pointer + ": enum moved from the array to its items");
    }
  }

  /**
   * {@code type: object} with an enum of strings ({@code BackoffPlan.type}, {@code AudioFormat.format},
   * {@code TransferPlan.sipVerb}, ...): the values are strings. SDK 2.0.1 copies the error
   * ({@code Record<string, unknown>}) but sends whatever string it is given.
   */
  private static void repairObjectTypedStringEnum(ObjectNode schema, String pointer, List<String> repaired) {
    JsonNode values = schema.get("enum");
    if ("object".equals(schema.path("type").asText()) && values != null && values.isArray()
        && values.size() > 0 && allTextual(values)) {
      schema.put("type", "string");
      repaired.add(pointer + ": an enum of strings declared as type object, typed string");
    }
  }

  /**
   * Patterns are written as JavaScript regex literals ({@code /^[a-zA-Z0-9_-]{1,64}$/}, e.g. a
   * function tool's name): taken as ECMA-262 patterns they demand a slash before the start of the
   * string, which nothing matches. One is a constant's name left unexpanded; it is dropped.
   */
  private static void repairPattern(ObjectNode schema, String pointer, List<String> repaired) {
    JsonNode pattern = schema.get("pattern");
    if (pattern == null || !pattern.isTextual()) {
      return;
    }
    Matcher literal = REGEX_LITERAL.matcher(pattern.textValue());
    if (literal.matches()) {
      schema.put("pattern", literal.group(1));
      repaired.add(pointer + ": pattern unwrapped from a JavaScript regex literal");
    } else if (UNEXPANDED_CONSTANT.matcher(pattern.textValue()).matches()) {
      schema.remove("pattern");
      repaired.add(pointer + ": pattern '" + pattern.textValue() + "' is a constant's name, dropped");
    }
  }

  private static boolean allTextual(JsonNode values) {
    for (JsonNode value : values) {
      if (!value.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
