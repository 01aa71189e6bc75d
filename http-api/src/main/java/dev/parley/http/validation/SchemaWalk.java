package dev.parley.http.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Walks a request body alongside its schema for the two rules networknt does not apply for us.
 *
 * <p>Discriminators: a schema such as {@code AssistantVoice} names, per {@code provider} value, a
 * subtype with stricter rules ({@code FliteVoice}). networknt ignores {@code discriminator} outside
 * {@code oneOf}, so the walk records where a subtype applies and the validator checks that value
 * against it too.
 *
 * <p>Nulls: like Vapi's class-validator, a property sent as null counts as not sent, which is also
 * how PATCH removes a field; only a required, non-nullable property sent as null is a problem.
 */
final class SchemaWalk {

  /**
   * A value at {@code at} that must also satisfy the schema at {@code schemaPointer}: the part of a
   * subtype that its base does not already check.
   */
  record Subtype(FieldPath at, String schemaPointer, JsonNode value) {}

  private final JsonNode document;
  /** Pointer to schema node, shared between walks: parsing a pointer costs more than the rest of a visit. */
  private final Map<String, JsonNode> pointerCache;
  private final Map<String, Subtype> subtypes = new LinkedHashMap<>();
  private final Set<FieldPath> requiredButNull = new LinkedHashSet<>();

  private SchemaWalk(JsonNode document, Map<String, JsonNode> pointerCache) {
    this.document = document;
    this.pointerCache = pointerCache;
  }

  /** @param pointerCache a thread-safe map this class fills; keep one per document */
  static SchemaWalk of(JsonNode document, Map<String, JsonNode> pointerCache, JsonNode schema, JsonNode body) {
    SchemaWalk walk = new SchemaWalk(document, pointerCache);
    walk.visit(schema, body, FieldPath.ROOT, Collections.emptySet());
    return walk;
  }

  Iterable<Subtype> subtypes() {
    return subtypes.values();
  }

  Set<FieldPath> requiredButNull() {
    return requiredButNull;
  }

  /** @param dispatched discriminating schemas already resolved for this very value (a subtype includes its base) */
  private void visit(JsonNode schemaOrRef, JsonNode value, FieldPath at, Set<JsonNode> dispatched) {
    JsonNode schema = resolve(schemaOrRef);
    if (schema == null) {
      return;
    }
    String subtype = chosenSubtype(schema, value, dispatched);
    if (subtype != null) {
      for (String refinement : refinements(subtype, schema)) {
        subtypes.putIfAbsent(at + "#" + refinement, new Subtype(at, refinement, value));
      }
      Set<JsonNode> now = Collections.newSetFromMap(new IdentityHashMap<>());
      now.addAll(dispatched);
      now.add(schema);
      visit(node(subtype), value, at, now);
      return;
    }
    schema.path("allOf").forEach(part -> visit(part, value, at, dispatched));
    schema.path("oneOf").forEach(part -> {
      if (typeFits(resolve(part), value)) {
        visit(part, value, at, dispatched);
      }
    });
    if (value.isObject()) {
      visitProperties(schema, value, at);
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        visit(schema.get("items"), value.get(i), at.index(i), Collections.emptySet());
      }
    }
  }

  private void visitProperties(JsonNode schema, JsonNode object, FieldPath at) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    object.fields().forEachRemaining(field -> {
      JsonNode propertySchema = properties.get(field.getKey());
      if (propertySchema == null && additional.isObject()) {
        propertySchema = additional;
      }
      JsonNode child = field.getValue();
      if (child.isNull()) {
        if (isRequired(schema, field.getKey()) && !isNullable(propertySchema)) {
          requiredButNull.add(at.property(field.getKey()));
        }
      } else if (propertySchema != null) {
        visit(propertySchema, child, at.property(field.getKey()), Collections.emptySet());
      }
    });
  }

  private static boolean isRequired(JsonNode schema, String property) {
    for (JsonNode name : schema.path("required")) {
      if (name.asText().equals(property)) {
        return true;
      }
    }
    return false;
  }

  /** The JSON pointer of the subtype this value's discriminator picks, or null. */
  private String chosenSubtype(JsonNode schema, JsonNode value, Set<JsonNode> dispatched) {
    JsonNode discriminator = schema.get("discriminator");
    if (discriminator == null || !value.isObject() || dispatched.contains(schema)) {
      return null;
    }
    JsonNode chosen = value.get(discriminator.path("propertyName").asText());
    if (chosen == null || !chosen.isTextual()) {
      return null;
    }
    JsonNode target = discriminator.path("mapping").get(chosen.asText());
    return target == null ? null : pointer(target.asText());
  }

  /**
   * The parts of a subtype to validate: a subtype written as {@code allOf: [base, extra]} only needs
   * {@code extra}, since the value was already validated against the base.
   */
  private List<String> refinements(String subtypePointer, JsonNode base) {
    JsonNode parts = node(subtypePointer).path("allOf");
    List<String> refinements = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      if (resolve(parts.get(i)) != base) {
        refinements.add(subtypePointer + "/allOf/" + i);
      }
    }
    return parts.isEmpty() ? List.of(subtypePointer) : refinements;
  }

  private boolean isNullable(JsonNode propertySchema) {
    JsonNode schema = resolve(propertySchema);
    return schema != null && schema.path("nullable").asBoolean(false);
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    while (current != null && current.has("$ref")) {
      JsonNode target = node(pointer(current.get("$ref").asText()));
      current = target.isMissingNode() ? null : target;
    }
    return current;
  }

  private JsonNode node(String pointer) {
    return pointerCache.computeIfAbsent(pointer, document::at);
  }

  private static String pointer(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalStateException("Only references inside the document are supported: " + ref);
    }
    return ref.substring(1);
  }

  private static boolean typeFits(JsonNode schema, JsonNode value) {
    if (schema == null || !schema.has("type")) {
      return true;
    }
    return switch (schema.get("type").asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      default -> true;
    };
  }
}
