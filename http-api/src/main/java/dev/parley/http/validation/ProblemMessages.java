package dev.parley.http.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;

/**
 * Words networknt's findings the way Vapi's NestJS validation does, so clients that parse Vapi's
 * messages understand ours: the field path first, then class-validator's phrasing. A problem inside
 * an object is prefixed with that object's path ({@code model.property foo should not exist}), and
 * a problem with one element of an array of plain values reads {@code each value in <array> ...}.
 */
final class ProblemMessages {

  private ProblemMessages() {}

  /** @param base where the validated value sits in the body */
  static List<String> describe(FieldPath base, Collection<ValidationMessage> findings) {
    // alternatives are narrowed before nulls are dropped: a null inside one still shows it was meant
    Alternatives alternatives = Alternatives.resolve(List.copyOf(findings));
    List<String> out = new ArrayList<>();
    alternatives.remaining().stream()
        .filter(m -> !isNullProperty(m.getInstanceLocation(), m.getInstanceNode()))
        .forEach(m -> out.add(describe(base, m)));
    alternatives.shapeMismatches().stream()
        .filter(mismatch -> !isNullProperty(mismatch.at(), mismatch.instance()))
        .forEach(mismatch -> out.add(value(base.append(mismatch.at()), mismatch.instance(),
            "must be " + mismatch.expectedTypes().stream()
                .map(ProblemMessages::typeNoun).distinct().collect(Collectors.joining(" or ")))));
    return out;
  }

  static String requiredButMissing(FieldPath at) {
    return value(at, null, "should not be empty");
  }

  private static String describe(FieldPath base, ValidationMessage m) {
    FieldPath at = base.append(m.getInstanceLocation());
    JsonNode limit = m.getSchemaNode();
    return switch (m.getType()) {
      case "required" -> requiredButMissing(at.property(m.getProperty()));
      case "additionalProperties" -> within(at, "property " + m.getProperty() + " should not exist");
      case "type" -> value(at, m.getInstanceNode(), typeRule(limit.asText()));
      case "enum" -> value(at, m.getInstanceNode(), "must be one of the following values: " + join(limit));
      case "maxLength" -> value(at, m.getInstanceNode(), "must be shorter than or equal to " + limit.asText() + " characters");
      case "minLength" -> value(at, m.getInstanceNode(), "must be longer than or equal to " + limit.asText() + " characters");
      case "maximum" -> value(at, m.getInstanceNode(), "must not be greater than " + limit.asText());
      case "minimum" -> value(at, m.getInstanceNode(), "must not be less than " + limit.asText());
      case "maxItems" -> value(at, m.getInstanceNode(), "must contain no more than " + limit.asText() + " elements");
      case "minItems" -> value(at, m.getInstanceNode(), "must contain at least " + limit.asText() + " elements");
      case "pattern" -> value(at, m.getInstanceNode(), "must match /" + limit.asText() + "/ regular expression");
      case "format" -> value(at, m.getInstanceNode(), formatRule(limit.asText()));
      case "oneOf" -> value(at, m.getInstanceNode(), "must match exactly one of its allowed forms");
      case "anyOf" -> value(at, m.getInstanceNode(), "must match one of its allowed forms");
      default -> value(at, m.getInstanceNode(), networkntWording(m));
    };
  }

  /** {@code rule} about the value at {@code at}, phrased as class-validator does for that position. */
  private static String value(FieldPath at, JsonNode instance, String rule) {
    if (at.isRoot()) {
      return "body " + rule;
    }
    boolean elementOfPlainArray = at.last() instanceof Integer
        && (instance == null || !instance.isContainerNode())
        && at.depth() >= 2 && at.parent().last() instanceof String;
    if (elementOfPlainArray) {
      FieldPath array = at.parent();
      return within(array.parent(), "each value in " + array.last() + " " + rule);
    }
    return within(at.parent(), at.last() + " " + rule);
  }

  /** NestJS puts the path of the enclosing object in front of a nested property's message. */
  private static String within(FieldPath parent, String message) {
    return parent.isRoot() ? message : parent + "." + message;
  }

  /** class-validator's @IsOptional lets null through; PATCH uses null to remove a field. */
  private static boolean isNullProperty(JsonNodePath at, JsonNode instance) {
    int depth = at.getNameCount();
    return instance != null && instance.isNull() && depth > 0 && at.getElement(depth - 1) instanceof String;
  }

  private static String typeRule(String type) {
    return switch (type) {
      case "number" -> "must be a number conforming to the specified constraints";
      case "integer" -> "must be an integer number";
      case "boolean" -> "must be a boolean value";
      default -> "must be " + typeNoun(type);
    };
  }

  private static String typeNoun(String type) {
    return switch (type) {
      case "object" -> "an object";
      case "array" -> "an array";
      case "integer" -> "an integer number";
      case "boolean" -> "a boolean value";
      default -> "a " + type;
    };
  }

  private static String formatRule(String format) {
    return switch (format) {
      case "date-time" -> "must be a valid ISO 8601 date string";
      case "uuid" -> "must be a UUID";
      case "uri" -> "must be a URL address";
      case "email" -> "must be an email";
      default -> "must be a valid " + format;
    };
  }

  private static String join(JsonNode values) {
    return StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(", "));
  }

  /** networknt's own text without its leading "{location}: ", for keywords our document does not use. */
  private static String networkntWording(ValidationMessage m) {
    String text = m.getMessage();
    int colon = text.indexOf(": ");
    return colon < 0 ? text : text.substring(colon + 2);
  }
}
