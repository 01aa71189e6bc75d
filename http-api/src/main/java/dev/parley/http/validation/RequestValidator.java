package dev.parley.http.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.oas.OpenApi30;

import dev.parley.http.JsonMapper;

/**
 * Checks request bodies against the component schemas of our OpenAPI document
 * ({@code openapi/parley-openapi.json}) and words the problems as Vapi does. Thread-safe; each
 * schema is compiled once, on first use.
 */
public final class RequestValidator {

  static final String RESOURCE = "openapi/parley-openapi.json";
  /** A name for the document so its internal references resolve; never fetched. */
  private static final String DOCUMENT_IRI = "urn:parley:openapi";
  /** The document's own top-level fields, which networknt would otherwise warn about as unknown keywords. */
  private static final List<String> DOCUMENT_FIELDS =
      List.of("openapi", "info", "servers", "security", "tags", "paths", "components", "externalDocs");

  private final byte[] document;
  private final JsonNode documentTree;
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> schemaNodes = new ConcurrentHashMap<>();

  private RequestValidator(byte[] document) {
    this.document = document;
    try {
      this.documentTree = JsonMapper.MAPPER.readTree(document);
    } catch (IOException e) {
      throw new UncheckedIOException("The OpenAPI document " + RESOURCE + " is not valid JSON", e);
    }
    String text = new String(document, StandardCharsets.UTF_8);
    JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi30.getInstance())
        .keywords(DOCUMENT_FIELDS.stream().map(NonValidationKeyword::new).toList())
        .build();
    this.factory = JsonSchemaFactory.builder()
        .metaSchema(dialect)
        .defaultMetaSchemaIri(dialect.getIri())
        .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, text)))
        .build();
    this.config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
  }

  /** Loads openapi/parley-openapi.json from the classpath once; thread-safe; compiled schemas cached. */
  public static RequestValidator fromClasspath() {
    return Shared.INSTANCE;
  }

  /**
   * Problems with the body against {@code components.schemas.<schemaName>}; empty when valid. Each
   * message names the field path first, Vapi style ("name must be shorter than or equal to 40
   * characters", "property foo should not exist"); sorted, so the order is stable.
   *
   * @throws IllegalArgumentException when the document has no schema of that name
   */
  public List<String> validate(String schemaName, JsonNode body) {
    String pointer = "/components/schemas/" + schemaName;
    JsonNode schema = schemaNodes.computeIfAbsent(pointer, documentTree::at);
    if (schema.isMissingNode()) {
      throw new IllegalArgumentException("The OpenAPI document has no schema named " + schemaName);
    }
    if (body == null || !body.isObject()) {
      return List.of("body must be a JSON object");
    }
    Set<String> problems = new TreeSet<>(
        ProblemMessages.describe(FieldPath.ROOT, schema(pointer).validate(body)));
    SchemaWalk walk = SchemaWalk.of(documentTree, schemaNodes, schema, body);
    walk.requiredButNull().forEach(at -> problems.add(ProblemMessages.requiredButMissing(at)));
    walk.subtypes().forEach(subtype -> problems.addAll(
        ProblemMessages.describe(subtype.at(), schema(subtype.schemaPointer()).validate(subtype.value()))));
    return List.copyOf(problems);
  }

  /** The raw document bytes, for serving. */
  public byte[] documentBytes() {
    return document.clone();
  }

  /** Names of all component schemas, for tests and tooling. */
  Stream<String> schemaNames() {
    Iterable<String> names = () -> documentTree.at("/components/schemas").fieldNames();
    return StreamSupport.stream(names.spliterator(), false);
  }

  private JsonSchema schema(String pointer) {
    return compiled.computeIfAbsent(pointer, p -> {
      JsonSchema schema = factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p), config);
      schema.initializeValidators();
      return schema;
    });
  }

  private static final class Shared {
    static final RequestValidator INSTANCE = new RequestValidator(readResource());

    private static byte[] readResource() {
      try (InputStream in = RequestValidator.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("The OpenAPI document " + RESOURCE + " is missing from the classpath");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read " + RESOURCE, e);
      }
    }
  }
}
