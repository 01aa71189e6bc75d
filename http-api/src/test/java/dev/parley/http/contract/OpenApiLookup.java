package dev.parley.http.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.PathType;

/** Finds things in the OpenAPI document, failing with what the document does declare. */
final class OpenApiLookup {

  private static final int MAX_SUGGESTIONS = 8;

  private OpenApiLookup() {}

  /**
   * The JSON pointer of the {@code application/json} schema declared for the response, or empty
   * when the response is declared without a JSON body. An operation or status the spec does not
   * declare is an error: a test should not pass by checking against nothing.
   */
  static Optional<JsonNodePath> responseSchemaPath(JsonNode document, String method, String pathTemplate, int status) {
    JsonNode paths = document.path("paths");
    JsonNode pathItem = paths.path(pathTemplate);
    if (pathItem.isMissingNode()) {
      throw new AssertionError("Vapi's spec has no path '" + pathTemplate + "'" + suggestions(paths, pathTemplate));
    }
    String verb = method.toLowerCase(Locale.ROOT);
    JsonNode operation = pathItem.path(verb);
    if (operation.isMissingNode()) {
      throw new AssertionError("Vapi's spec has no " + method.toUpperCase(Locale.ROOT) + " " + pathTemplate
          + "; it declares " + names(pathItem));
    }
    JsonNode responses = operation.path("responses");
    String statusKey = Integer.toString(status);
    if (!responses.has(statusKey)) {
      if (!responses.has("default")) {
        throw new AssertionError("Vapi's spec declares no " + status + " response for "
            + method.toUpperCase(Locale.ROOT) + " " + pathTemplate + "; it declares " + names(responses));
      }
      statusKey = "default";
    }
    JsonNode content = responses.path(statusKey).path("content");
    if (!content.path("application/json").has("schema")) {
      return Optional.empty();
    }
    return Optional.of(new JsonNodePath(PathType.JSON_POINTER)
        .append("paths").append(pathTemplate).append(verb)
        .append("responses").append(statusKey)
        .append("content").append("application/json").append("schema"));
  }

  /** " (did you mean: a, b?)" for names in {@code object} close to {@code wanted}, or "". */
  static String suggestions(JsonNode object, String wanted) {
    String needle = wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    List<String> close = new ArrayList<>();
    object.fieldNames().forEachRemaining(name -> {
      String candidate = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      if (close.size() < MAX_SUGGESTIONS && !needle.isEmpty() && !candidate.isEmpty()
          && (candidate.contains(needle) || needle.contains(candidate))) {
        close.add(name);
      }
    });
    return close.isEmpty() ? "" : " (did you mean: " + String.join(", ", close) + "?)";
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
