package dev.parley.registry.resource;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pure JSON operations on resource bodies. */
public final class JsonBodies {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonBodies() {}

  /**
   * A partial update, Vapi's way: each top-level field of the patch replaces the stored one, a
   * JSON null removes it, and fields the patch does not name stay as they are.
   */
  public static String mergeTopLevel(String body, String patch) {
    ObjectNode merged = parseObject(body);
    ObjectNode changes = parseObject(patch);
    Iterator<Map.Entry<String, JsonNode>> fields = changes.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        merged.remove(field.getKey());
      } else {
        merged.set(field.getKey(), field.getValue());
      }
    }
    return merged.toString();
  }

  public static ObjectNode parseObject(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("a resource body must be a JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a resource body must be JSON: " + e.getOriginalMessage(), e);
    }
  }
}
