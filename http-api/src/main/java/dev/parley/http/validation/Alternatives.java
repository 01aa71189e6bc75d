package dev.parley.http.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;

/**
 * Narrows the findings of a failed {@code oneOf}/{@code anyOf} to the alternative the value was
 * meant for. networknt reports every alternative's problems; an alternative whose own type differs
 * from the value's (an object where the value is a string) was plainly not meant, so its problems
 * are noise. When no alternative has the value's type, one "must be a string or an object" remains.
 */
final class Alternatives {

  /** A value that fits none of the alternatives' types. */
  record ShapeMismatch(JsonNodePath at, JsonNode instance, List<String> expectedTypes) {}

  private static final Set<String> ALTERNATIVE_KEYWORDS = Set.of("oneOf", "anyOf");

  private final List<ValidationMessage> remaining;
  private final List<ShapeMismatch> shapeMismatches = new ArrayList<>();

  private Alternatives(List<ValidationMessage> findings) {
    this.remaining = new ArrayList<>(findings);
  }

  static Alternatives resolve(List<ValidationMessage> findings) {
    Alternatives alternatives = new Alternatives(findings);
    findings.stream()
        .filter(m -> ALTERNATIVE_KEYWORDS.contains(m.getType()))
        // outermost first: dropping an unmeant alternative also drops any choice nested inside it
        .sorted(Comparator.comparingInt(m -> m.getEvaluationPath().getNameCount()))
        .forEach(alternatives::narrow);
    return alternatives;
  }

  List<ValidationMessage> remaining() {
    return remaining;
  }

  List<ShapeMismatch> shapeMismatches() {
    return shapeMismatches;
  }

  private void narrow(ValidationMessage choice) {
    if (!remaining.contains(choice) || severalAlternativesMatched(choice)) {
      return;
    }
    String prefix = choice.getEvaluationPath() + "/";
    Map<String, List<ValidationMessage>> byAlternative = new LinkedHashMap<>();
    for (ValidationMessage m : remaining) {
      String path = m.getEvaluationPath().toString();
      if (path.startsWith(prefix)) {
        String rest = path.substring(prefix.length());
        byAlternative.computeIfAbsent(rest.split("/", 2)[0], k -> new ArrayList<>()).add(m);
      }
    }
    List<String> unmeantTypes = new ArrayList<>();
    int unmeant = 0;
    for (List<ValidationMessage> problems : byAlternative.values()) {
      ValidationMessage ownType = problems.stream()
          .filter(m -> "type".equals(m.getType()) && m.getInstanceLocation().equals(choice.getInstanceLocation()))
          .findFirst().orElse(null);
      if (ownType != null) {
        unmeant++;
        unmeantTypes.add(ownType.getSchemaNode().asText());
        remaining.removeAll(problems);
      }
    }
    if (unmeant > 0) {
      remaining.remove(choice);
    }
    if (unmeant > 0 && unmeant == byAlternative.size()) {
      shapeMismatches.add(new ShapeMismatch(choice.getInstanceLocation(), choice.getInstanceNode(), unmeantTypes));
    }
  }

  /** "must be valid to one and only one schema, but 2 are valid": nothing to narrow. */
  private static boolean severalAlternativesMatched(ValidationMessage choice) {
    return "oneOf.indexes".equals(choice.getMessageKey());
  }
}
