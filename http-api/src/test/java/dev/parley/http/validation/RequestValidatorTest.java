package dev.parley.http.validation;

import static dev.parley.http.validation.AssistantValidationTest.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class RequestValidatorTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  @Test
  void isLoadedOnce() {
    assertSame(validator, RequestValidator.fromClasspath());
  }

  @Test
  void servesTheDocumentAsShipped() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(RequestValidator.RESOURCE)) {
      assertArrayEquals(in.readAllBytes(), validator.documentBytes());
    }
  }

  @Test
  void theServedBytesCannotBeChangedByACaller() {
    validator.documentBytes()[0] = 'x';
    assertEquals('{', validator.documentBytes()[0]);
  }

  @Test
  void aBodyThatIsNotAnObjectIsRejectedAsAWhole() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    for (var body : List.of(nodes.arrayNode(), nodes.textNode("{}"), nodes.nullNode(), nodes.numberNode(1))) {
      assertEquals(List.of("body must be a JSON object"), validator.validate("CreateAssistantDTO", body));
    }
    assertEquals(List.of("body must be a JSON object"), validator.validate("CreateToolDTO", null));
  }

  @Test
  void anUnknownSchemaNameIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> validator.validate("CreateSpaceshipDTO", json("{}")));
  }

  @Test
  void problemsComeInAStableOrder() {
    ObjectNode body = json("{\"zeta\": 1, \"name\": 7, \"alpha\": 2, \"maxDurationSeconds\": 1}");
    List<String> expected = List.of(
        "maxDurationSeconds must not be less than 10",
        "name must be a string",
        "property alpha should not exist",
        "property zeta should not exist");
    assertEquals(expected, validator.validate("CreateAssistantDTO", body));
    assertEquals(expected, validator.validate("CreateAssistantDTO", body));
  }

  @Test
  void validatesConcurrentlyWithTheSameAnswers() throws Exception {
    ObjectNode good = json(AssistantValidationTest.HOSTED_ASSISTANT);
    ObjectNode bad = json("{\"provider\": \"twilio\", \"number\": 5}");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> answers = IntStream.range(0, 200)
          .mapToObj(i -> pool.submit(() -> i % 2 == 0
              ? validator.validate("CreateAssistantDTO", good)
              : validator.validate("CreatePhoneNumberDTO", bad)))
          .toList();
      for (int i = 0; i < answers.size(); i++) {
        List<String> expected = i % 2 == 0 ? List.of()
            : List.of("number must be a string", "twilioAccountSid should not be empty");
        assertEquals(expected, answers.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLargeBodyIsValidatedCompletely() {
    StringBuilder messages = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      messages.append(i == 0 ? "" : ",").append("{\"role\": \"user\", \"content\": \"Message number ").append(i)
          .append(" about opening hours and prices.\"}");
    }
    messages.append(",{\"role\": \"moderator\", \"content\": \"x\"}");
    ObjectNode body = json("{\"model\": {\"provider\": \"openai\", \"model\": \"gpt-4o\", \"messages\": [" + messages + "]}}");
    assertEquals(List.of("model.messages.300.role must be one of the following values: system, user, assistant, tool, function"),
        validator.validate("CreateAssistantDTO", body));
  }

  @Test
  void everySchemaOfTheDocumentCompiles() {
    validator.schemaNames().forEach(name -> validator.validate(name, json("{}")));
  }
}
