package dev.parley.http.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;

/**
 * Checks JSON bodies against Vapi's own OpenAPI document, the API contract: a component schema by
 * name, or the response schema an operation declares. Failures list every violation with the JSON
 * path of the offending field.
 *
 * <p>The document is read once per JVM ({@link #shared()}, from the system property
 * {@value #OPENAPI_PROPERTY}); each schema is compiled once and kept, because Vapi's schemas are
 * large and deeply referenced. A few schemas that contradict Vapi's own behaviour are repaired on
 * load (see {@link SpecRepairs}).
 */
public final class VapiContract {

  public static final String OPENAPI_PROPERTY = "parley.vapi.openapi";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY_SHOWN_IN_FAILURES = 3_000;
  private static final List<String> DOCUMENT_FIELDS =
      List.of("openapi", "info", "servers", "paths", "components", "tags", "security", "externalDocs");

  private static VapiContract shared;

  private final ObjectNode document;
  private final JsonSchema documentRoot;
  private final List<String> repairs;
  private final ConcurrentMap<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  private VapiContract(Path openApiFile, ObjectNode document) {
    this.document = document;
    this.repairs = List.copyOf(SpecRepairs.applyTo(document));
    // the document itself is compiled as the root schema: its own fields are no schema keywords
    JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi30.getInstance())
        .keywords(DOCUMENT_FIELDS.stream().map(NonValidationKeyword::new).toList())
        .build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
        .metaSchema(dialect)
        .defaultMetaSchemaIri(dialect.getIri()));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .pathType(PathType.LEGACY)
        // references are resolved lazily, on first use, instead of walking all of Vapi's schemas
        .preloadJsonSchema(false)
        .build();
    this.documentRoot = factory.getSchema(SchemaLocation.of(openApiFile.toUri().toString()), document, config);
  }

  /** The contract from the file named by {@value #OPENAPI_PROPERTY}, loaded on first use. */
  public static synchronized VapiContract shared() {
    if (shared == null) {
      String location = System.getProperty(OPENAPI_PROPERTY);
      if (location == null || location.isBlank()) {
        throw new IllegalStateException("System property " + OPENAPI_PROPERTY
            + " is not set: it names Vapi's openapi.json (the root pom sets it for surefire and failsafe;"
            + " from an IDE, add -D" + OPENAPI_PROPERTY + "=<path to shared/vapi/openapi.json>)");
      }
      shared = load(Path.of(location));
    }
    return shared;
  }

  public static VapiContract load(Path openApiFile) {
    if (!Files.isRegularFile(openApiFile)) {
      throw new IllegalStateException("Vapi's OpenAPI document is not at " + openApiFile.toAbsolutePath()
          + " (from -D" + OPENAPI_PROPERTY + ")");
    }
    try {
      JsonNode document = JSON.readTree(openApiFile.toFile());
      if (!(document instanceof ObjectNode root) || !document.path("components").has("schemas")) {
        throw new IllegalStateException(openApiFile + " is not an OpenAPI document with components.schemas");
      }
      return new VapiContract(openApiFile.toAbsolutePath(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Vapi's OpenAPI document " + openApiFile, e);
    }
  }

  /** Fails unless {@code body} is valid against {@code #/components/schemas/<schemaName>}. */
  public void assertMatches(String schemaName, JsonNode body) {
    fail(violations(schemaName, body), "schema " + schemaName, body);
  }

  /**
   * Fails unless {@code body} is valid against the response schema Vapi's spec declares for
   * {@code method pathTemplate} (e.g. {@code "GET", "/tool/{id}"}) answering {@code status}.
   */
  public void assertResponseMatches(String method, String pathTemplate, int status, JsonNode body) {
    fail(responseViolations(method, pathTemplate, status, body),
        method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " -> " + status, body);
  }

  /** Every violation of the named component schema, empty when {@code body} is valid. */
  public List<String> violations(String schemaName, JsonNode body) {
    if (!document.path("components").path("schemas").has(schemaName)) {
      throw new AssertionError("Vapi's spec has no schema named '" + schemaName + "'"
          + OpenApiLookup.suggestions(document.path("components").path("schemas"), schemaName));
    }
    return validate(schemaAt(new JsonNodePath(PathType.JSON_POINTER)
        .append("components").append("schemas").append(schemaName)), body);
  }

  /** Every violation of the declared response schema, empty when {@code body} is valid. */
  public List<String> responseViolations(String method, String pathTemplate, int status, JsonNode body) {
    return OpenApiLookup.responseSchemaPath(document, method, pathTemplate, status)
        .map(path -> validate(schemaAt(path), body))
        .orElseGet(() -> body == null || body.isMissingNode() || body.isNull() || body.isEmpty()
            ? List.of()
            : List.of("the spec declares no JSON body for this response, but one was sent"));
  }

  /** What was repaired in the spec on load, one line per schema. */
  public List<String> repairs() {
    return repairs;
  }

  private JsonSchema schemaAt(JsonNodePath pointer) {
    // no initializeValidators(): preloading walks every $ref of Vapi's schemas and runs out of
    // memory; validators are built on first use, for the parts a body actually has
    return compiled.computeIfAbsent(pointer.toString(), key -> documentRoot.getSubSchema(pointer));
  }

  private static List<String> validate(JsonSchema schema, JsonNode body) {
    JsonNode instance = body == null ? JSON.missingNode() : body;
    return schema.validate(instance).stream()
        .map(ValidationMessage::getMessage)
        .distinct()
        .sorted()
        .toList();
  }

  private static void fail(List<String> violations, String against, JsonNode body) {
    if (violations.isEmpty()) {
      return;
    }
    String shown = String.valueOf(body);
    if (shown.length() > BODY_SHOWN_IN_FAILURES) {
      shown = shown.substring(0, BODY_SHOWN_IN_FAILURES) + "... (" + shown.length() + " chars)";
    }
    throw new AssertionError("Body breaks Vapi's contract (" + against + "), " + violations.size()
        + " violation(s):\n  - " + String.join("\n  - ", violations) + "\nbody: " + shown);
  }
}
