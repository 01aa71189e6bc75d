package dev.parley.http.contract;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Vapi's spec writes {@code oneOf} without a discriminator for plain unions, and many of them
 * overlap: {@code voiceId: oneOf [{enum: [alloy, ...]}, {type: string}]} matches a preset twice, a
 * squad member's transfer and handoff destinations both have {@code type: "assistant"}. Taken
 * literally, {@code oneOf} rejects exactly the values Vapi documents; the SDK types these as
 * TypeScript unions, i.e. {@code anyOf}.
 *
 * <p>Where every branch is an object schema fixing {@code provider} (or {@code type}) to its own
 * value (models, voices, transcribers, ...), the union gets that property as its discriminator
 * instead: then only the matching branch's errors are reported, not one per provider.
 */
final class UnionRepairs {

  private static final List<String> DISCRIMINATING_PROPERTIES = List.of("provider", "type");

  private UnionRepairs() {}

  static void repairUndiscriminatedOneOf(JsonNode document, ObjectNode schema, String pointer, List<String> repaired) {
    JsonNode branches = schema.get("oneOf");
    if (branches == null || !branches.isArray() || branches.size() < 2 || schema.has("discriminator")) {
      return;
    }
    for (String property : DISCRIMINATING_PROPERTIES) {
      Optional<ObjectNode> mapping = mappingBy(document, branches, property);
      if (mapping.isPresent()) {
        schema.putObject("discriminator").put("propertyName", property).set("mapping", mapping.get());
        repaired.add(pointer + ": oneOf discriminated by its branches' distinct '" + property + "'");
        return;
      }
    }
    JsonNode union = schema.remove("oneOf");
    if (schema.has("anyOf")) {
      ArrayNode allOf = schema.has("allOf") ? (ArrayNode) schema.get("allOf") : schema.putArray("allOf");
      allOf.addObject().set("anyOf", union);
    } else {
      schema.set("anyOf", union);
    }
    repaired.add(pointer + ": oneOf without a discriminator read as anyOf");
  }

  /** value -> $ref when each branch is a $ref whose {@code property} is an enum of one value of its own. */
  private static Optional<ObjectNode> mappingBy(JsonNode document, JsonNode branches, String property) {
    ObjectNode mapping = JsonNodeFactory.instance.objectNode();
    Set<String> seen = new HashSet<>();
    for (JsonNode branch : branches) {
      String ref = branch.path("$ref").asText("");
      if (!ref.startsWith("#/")) {
        return Optional.empty();
      }
      JsonNode values = document.at(ref.substring(1)).path("properties").path(property).path("enum");
      if (values.size() != 1 || !values.get(0).isTextual() || !seen.add(values.get(0).textValue())) {
        return Optional.empty();
      }
      mapping.put(values.get(0).textValue(), ref);
    }
    return Optional.of(mapping);
  }
}
