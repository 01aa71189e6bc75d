package dev.parley.http.validation;

import static dev.parley.http.validation.AssistantValidationTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialValidationTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"provider\": \"openai\", \"apiKey\": \"sk-0123456789abcdef\", \"name\": \"OpenAI prod\"}",
      "{\"provider\": \"anthropic\", \"apiKey\": \"sk-ant-0123\"}",
      "{\"provider\": \"groq\", \"apiKey\": \"gsk_0123\"}",
      "{\"provider\": \"deepgram\", \"apiKey\": \"dg-0123\", \"apiUrl\": \"https://dg.example.test\"}",
      "{\"provider\": \"11labs\", \"apiKey\": \"el-0123\"}",
      "{\"provider\": \"cartesia\", \"apiKey\": \"ca-0123\"}",
      "{\"provider\": \"azure\", \"service\": \"speech\", \"region\": \"eastus\", \"apiKey\": \"az\"}",
      "{\"provider\": \"google\", \"apiKey\": \"AIza0123\"}",
      "{\"provider\": \"twilio\", \"accountSid\": \"AC0123\", \"authToken\": \"tok\"}",
      "{\"provider\": \"twilio\", \"accountSid\": \"AC0123\", \"apiKey\": \"SK0123\", \"apiSecret\": \"s\"}",
      "{\"provider\": \"vonage\", \"apiKey\": \"k\", \"apiSecret\": \"s\"}",
      "{\"provider\": \"custom-llm\", \"apiKey\": \"local\"}",
      "{\"provider\": \"byo-sip-trunk\", \"gateways\": [{\"ip\": \"203.0.113.10\"}], \"name\": \"Office PBX\"}",
      "{\"provider\": \"webhook\", \"authenticationPlan\": {\"type\": \"hmac\", \"secretKey\": \"k\"}}",
      "{\"provider\": \"supabase\", \"bucketPlan\": {\"name\": \"recordings\"}}",
  })
  void realisticCredentialsAreValid(String credential) {
    assertEquals(List.of(), validator.validate("CreateCredentialDTO", json(credential)));
  }

  @Test
  void providerIsRequired() {
    assertProblems("{\"apiKey\": \"k\"}", "provider should not be empty");
  }

  @Test
  void providersNeedTheirSecrets() {
    assertProblems("{\"provider\": \"openai\"}", "apiKey should not be empty");
    assertProblems("{\"provider\": \"twilio\", \"authToken\": \"t\"}", "accountSid should not be empty");
    assertProblems("{\"provider\": \"vonage\", \"apiKey\": \"k\"}", "apiSecret should not be empty");
    assertProblems("{\"provider\": \"azure\"}", "service should not be empty");
  }

  @Test
  void unknownFieldsAndLongNamesAreRejected() {
    assertProblems("{\"provider\": \"groq\", \"apiKey\": \"k\", \"password\": \"p\", \"name\": \"" + "c".repeat(41) + "\"}",
        "name must be shorter than or equal to 40 characters",
        "property password should not exist");
  }

  @Test
  void updateRequiresNothing() {
    assertEquals(List.of(), validator.validate("UpdateCredentialDTO", json("{\"apiKey\": \"rotated\"}")));
  }

  private static void assertProblems(String body, String... expected) {
    assertEquals(List.of(expected), validator.validate("CreateCredentialDTO", json(body)));
  }
}
