package dev.parley.http.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.http.JsonMapper;

class OpenApiDocumentTest {

  private static final List<String> RESOURCES = List.of("assistant", "tool", "squad", "phone-number", "credential");
  private static final List<String> NAMED_SCHEMAS = List.of(
      "CreateAssistantDTO", "UpdateAssistantDTO", "Assistant", "CreateToolDTO", "UpdateToolDTO", "Tool",
      "CreateSquadDTO", "UpdateSquadDTO", "Squad", "CreatePhoneNumberDTO", "UpdatePhoneNumberDTO", "PhoneNumber",
      "CreateCredentialDTO", "UpdateCredentialDTO", "Credential", "ErrorResponse");
  /** The top-level fields of Vapi's CreateAssistantDTO, and silenceTimeoutSeconds from Vapi's docs. */
  private static final Set<String> ASSISTANT_FIELDS = new TreeSet<>(List.of(
      "name", "model", "voice", "transcriber", "firstMessage", "firstMessageMode", "firstMessageInterruptionsEnabled",
      "endCallMessage", "endCallPhrases", "voicemailMessage", "voicemailDetection", "maxDurationSeconds",
      "backgroundSound", "startSpeakingPlan", "stopSpeakingPlan", "analysisPlan", "artifactPlan", "server",
      "serverMessages", "clientMessages", "metadata", "hooks", "credentials", "credentialIds", "compliancePlan",
      "monitorPlan", "observabilityPlan", "keypadInputPlan", "backgroundSpeechDenoisingPlan",
      "modelOutputInMessagesEnabled", "transportConfigurations", "silenceTimeoutSeconds"));

  private static final JsonNode doc = read();

  @Test
  void isAnOpenApi303DocumentForParley() {
    assertEquals("3.0.3", doc.path("openapi").asText());
    assertEquals("Parley API", doc.at("/info/title").asText());
    assertFalse(doc.at("/info/version").asText().isEmpty());
  }

  @Test
  void bearerAuthenticationAppliesEverywhereButOperations() {
    JsonNode bearer = doc.at("/components/securitySchemes/bearer");
    assertEquals("http", bearer.path("type").asText());
    assertEquals("bearer", bearer.path("scheme").asText());
    assertEquals("bearer", doc.at("/security/0").fieldNames().next());
    for (String open : List.of("/health/alive", "/health/ready", "/metrics", "/api-docs/openapi.json")) {
      JsonNode security = doc.path("paths").path(open).path("get").path("security");
      assertTrue(security.isArray() && security.isEmpty(), open + " must not need an API key");
    }
    RESOURCES.forEach(resource ->
        assertTrue(doc.path("paths").path("/" + resource).path("post").path("security").isMissingNode(),
            resource + " uses the global bearer requirement"));
  }

  @Test
  void everyResourceHasItsFiveOperationsWithVapisStatusCodes() {
    Map<String, List<String>> expected = Map.of(
        "post", List.of("201", "400", "401", "413", "429"),
        "get", List.of("200", "400", "401", "429"));
    Map<String, List<String>> expectedById = Map.of(
        "get", List.of("200", "401", "404", "429"),
        "patch", List.of("200", "400", "401", "404", "413", "429"),
        "delete", List.of("200", "401", "404", "429"));
    for (String resource : RESOURCES) {
      expected.forEach((method, codes) -> assertResponses("/" + resource, method, codes));
      expectedById.forEach((method, codes) -> assertResponses("/" + resource + "/{id}", method, codes));
    }
    for (String path : List.of("/health/alive", "/health/ready", "/metrics", "/api-docs/openapi.json")) {
      assertTrue(doc.path("paths").path(path).has("get"), path);
    }
  }

  @Test
  void bodiesAndAnswersUseTheNamedSchemas() {
    Map<String, String> types = Map.of("assistant", "Assistant", "tool", "Tool", "squad", "Squad",
        "phone-number", "PhoneNumber", "credential", "Credential");
    types.forEach((resource, type) -> {
      JsonNode collection = doc.path("paths").path("/" + resource);
      JsonNode item = doc.path("paths").path("/" + resource + "/{id}");
      assertEquals(ref("Create" + type + "DTO"), collection.at("/post/requestBody/content/application~1json/schema/$ref").asText());
      assertEquals(ref("Update" + type + "DTO"), item.at("/patch/requestBody/content/application~1json/schema/$ref").asText());
      assertEquals(ref(type), collection.at("/post/responses/201/content/application~1json/schema/$ref").asText());
      assertEquals("array", collection.at("/get/responses/200/content/application~1json/schema/type").asText());
      assertEquals(ref(type), collection.at("/get/responses/200/content/application~1json/schema/items/$ref").asText());
      for (String method : List.of("get", "patch", "delete")) {
        assertEquals(ref(type), item.at("/" + method + "/responses/200/content/application~1json/schema/$ref").asText());
      }
    });
  }

  @Test
  void listsTakeALimitAndTimeFilters() {
    JsonNode limit = doc.at("/components/parameters/Limit");
    assertEquals("limit", limit.path("name").asText());
    assertEquals("integer", limit.at("/schema/type").asText());
    assertEquals(0, limit.at("/schema/minimum").asInt());
    assertEquals(1000, limit.at("/schema/maximum").asInt());
    assertEquals(100, limit.at("/schema/default").asInt());
    Set<String> names = new TreeSet<>();
    doc.at("/paths/~1tool/get/parameters").forEach(p -> names.add(resolve(p).path("name").asText()));
    assertEquals(new TreeSet<>(List.of("limit", "createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
        "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe")), names);
    names.stream().filter(n -> !n.equals("limit")).forEach(n ->
        assertEquals("date-time", resolve(doc.path("components").path("parameters")
            .path(Character.toUpperCase(n.charAt(0)) + n.substring(1))).at("/schema/format").asText(), n));
  }

  @Test
  void everyNamedSchemaExists() {
    NAMED_SCHEMAS.forEach(name -> assertTrue(doc.at("/components/schemas/" + name).isObject(), name));
  }

  @Test
  void errorsHaveVapisShape() {
    JsonNode error = doc.at("/components/schemas/ErrorResponse");
    assertEquals("integer", error.at("/properties/statusCode/type").asText());
    assertEquals("string", error.at("/properties/error/type").asText());
    assertEquals("string", error.at("/properties/message/items/type").asText());
    assertEquals(Set.of("statusCode", "error", "message"), strings(error.path("required")));
  }

  @Test
  void assistantsAcceptExactlyVapisFieldsAndSilenceTimeout() {
    JsonNode create = doc.at("/components/schemas/CreateAssistantDTO");
    assertEquals(ASSISTANT_FIELDS, new TreeSet<>(fieldNames(create.path("properties"))));
    assertFalse(create.path("additionalProperties").asBoolean(true));
  }

  @Test
  void createBodiesRejectUnknownFields() {
    for (String name : List.of("CreateAssistantDTO", "CreateToolDTO", "UpdateToolDTO", "CreateSquadDTO",
        "CreatePhoneNumberDTO", "UpdatePhoneNumberDTO", "CreateCredentialDTO", "UpdateCredentialDTO")) {
      assertFalse(doc.at("/components/schemas/" + name + "/additionalProperties").asBoolean(true), name);
    }
  }

  @Test
  void storedResourcesCarryTheFieldsOfTheirCreateBodyAndServerFields() {
    Map<String, String> resources = Map.of("Assistant", "CreateAssistantDTO", "Tool", "CreateToolDTO",
        "Squad", "CreateSquadDTO", "PhoneNumber", "CreatePhoneNumberDTO", "Credential", "CreateCredentialDTO");
    resources.forEach((resource, create) -> {
      JsonNode schema = doc.at("/components/schemas/" + resource);
      Set<String> fields = new TreeSet<>(fieldNames(schema.path("properties")));
      assertTrue(fields.containsAll(fieldNames(doc.at("/components/schemas/" + create + "/properties"))), resource);
      assertTrue(strings(schema.path("required")).containsAll(Set.of("id", "orgId", "createdAt", "updatedAt")), resource);
      assertEquals("date-time", schema.at("/properties/createdAt/format").asText(), resource);
      assertEquals("date-time", schema.at("/properties/updatedAt/format").asText(), resource);
    });
  }

  @Test
  void offlineProvidersAreOffered() {
    assertTrue(enumOf("AssistantModel", "provider").containsAll(List.of("openai", "anthropic", "parley-scripted")));
    assertTrue(enumOf("AssistantVoice", "provider").containsAll(List.of("11labs", "azure", "parley-flite")));
    assertTrue(enumOf("AssistantTranscriber", "provider").containsAll(List.of("deepgram", "parley-pocketsphinx")));
    assertEquals(List.of("rms", "slt", "kal16", "awb"), enumOf("FliteVoice/allOf/1", "voiceId"));
  }

  @Test
  void everyReferenceAndDiscriminatorMappingResolves() {
    List<String> broken = new ArrayList<>();
    collectRefs(doc).forEach(ref -> {
      if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
        broken.add(ref);
      }
    });
    assertEquals(List.of(), broken);
  }

  @Test
  void everyDiscriminatedSubtypeExtendsItsBase() {
    doc.at("/components/schemas").fields().forEachRemaining(entry -> {
      JsonNode mapping = entry.getValue().at("/discriminator/mapping");
      mapping.elements().forEachRemaining(target -> assertEquals(ref(entry.getKey()),
          doc.at(target.asText().substring(1) + "/allOf/0/$ref").asText(), target.asText()));
    });
  }

  private static void assertResponses(String path, String method, List<String> codes) {
    JsonNode responses = doc.path("paths").path(path).path(method).path("responses");
    assertTrue(responses.isObject(), method + " " + path);
    assertTrue(fieldNames(responses).containsAll(codes), method + " " + path + " answers " + fieldNames(responses));
    codes.stream().filter(code -> code.startsWith("4")).forEach(code -> assertEquals(ref("ErrorResponse"),
        resolve(responses.path(code)).at("/content/application~1json/schema/$ref").asText(), method + " " + path + " " + code));
  }

  private static List<String> enumOf(String schema, String property) {
    List<String> values = new ArrayList<>();
    doc.at("/components/schemas/" + schema + "/properties/" + property + "/enum").forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Set<String> collectRefs(JsonNode node) {
    Set<String> refs = new LinkedHashSet<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        if (field.getKey().equals("$ref")) {
          refs.add(field.getValue().asText());
        } else if (field.getKey().equals("mapping")) {
          field.getValue().forEach(target -> refs.add(target.asText()));
        } else {
          refs.addAll(collectRefs(field.getValue()));
        }
      });
    } else if (node.isArray()) {
      node.forEach(element -> refs.addAll(collectRefs(element)));
    }
    return refs;
  }

  private static JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
  }

  private static String ref(String schema) {
    return "#/components/schemas/" + schema;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> values = new TreeSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static JsonNode read() {
    try {
      return JsonMapper.MAPPER.readTree(RequestValidator.fromClasspath().documentBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
