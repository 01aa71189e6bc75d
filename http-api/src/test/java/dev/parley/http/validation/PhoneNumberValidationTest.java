package dev.parley.http.validation;

import static dev.parley.http.validation.AssistantValidationTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberValidationTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  @ParameterizedTest
  @ValueSource(strings = {
      """
      {"provider": "twilio", "number": "+14155550123", "name": "Main line",
       "twilioAccountSid": "AC0123456789abcdef0123456789abcdef", "twilioAuthToken": "secret",
       "assistantId": "0f3c2a8e-1d7b-4e5f-9a6c-2b8d4e6f8a10", "smsEnabled": false,
       "fallbackDestination": {"type": "number", "number": "+14155550100"},
       "server": {"url": "https://example.test/calls"}}
      """,
      """
      {"provider": "byo-phone-number", "number": "1001", "numberE164CheckEnabled": false,
       "credentialId": "5c7d9e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f", "squadId": "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b"}
      """,
      "{\"provider\": \"vonage\", \"number\": \"+447700900123\", \"credentialId\": \"c\"}",
      "{\"provider\": \"telnyx\", \"number\": \"+13125550199\", \"credentialId\": \"c\"}",
      "{\"provider\": \"vapi\", \"numberDesiredAreaCode\": \"415\", \"name\": \"Sales\"}",
  })
  void realisticPhoneNumbersAreValid(String phoneNumber) {
    assertEquals(List.of(), validator.validate("CreatePhoneNumberDTO", json(phoneNumber)));
  }

  @Test
  void providerIsRequired() {
    assertProblems("{\"number\": \"+14155550123\"}", "provider should not be empty");
  }

  @Test
  void providerMustBeKnown() {
    assertProblems("{\"provider\": \"carrier-pigeon\"}",
        "provider must be one of the following values: byo-phone-number, twilio, vonage, vapi, telnyx");
  }

  @Test
  void eachProviderHasItsOwnRequiredFields() {
    assertProblems("{\"provider\": \"twilio\"}", "number should not be empty", "twilioAccountSid should not be empty");
    assertProblems("{\"provider\": \"vonage\", \"number\": \"+1\"}", "credentialId should not be empty");
    assertProblems("{\"provider\": \"byo-phone-number\", \"credentialId\": \"c\", \"number\": \"12\"}",
        "number must be longer than or equal to 3 characters");
  }

  @Test
  void fallbackDestinationIsANumberOrSipAddress() {
    assertProblems("{\"provider\": \"vapi\", \"fallbackDestination\": {\"type\": \"assistant\", \"assistantName\": \"x\"}}",
        "fallbackDestination.type must be one of the following values: number, sip");
  }

  @Test
  void unknownFieldsAreRejected() {
    assertProblems("{\"provider\": \"vapi\", \"ringtone\": \"classic\"}", "property ringtone should not exist");
  }

  @Test
  void updateRequiresNothing() {
    assertEquals(List.of(), validator.validate("UpdatePhoneNumberDTO", json("{\"assistantId\": null, \"name\": \"New\"}")));
    assertEquals(List.of("name must be shorter than or equal to 40 characters"),
        validator.validate("UpdatePhoneNumberDTO", json("{\"name\": \"" + "x".repeat(41) + "\"}")));
  }

  private static void assertProblems(String body, String... expected) {
    assertEquals(List.of(expected), validator.validate("CreatePhoneNumberDTO", json(body)));
  }
}
