package dev.parley.registry.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

  @Test
  void sealsWithAFreshNonceAndOpensWithTheSameKeyOnly() {
    SecretBox box = SecretBox.fromBase64(SecretBox.newBase64Key());
    String first = box.seal("{\"apiKey\":\"sk-1\"}");
    String second = box.seal("{\"apiKey\":\"sk-1\"}");
    assertTrue(first.startsWith("v1:"));
    assertNotEquals(first, second, "same plaintext, different ciphertext");
    assertEquals("{\"apiKey\":\"sk-1\"}", box.open(first));

    SecretBox other = SecretBox.fromBase64(SecretBox.newBase64Key());
    IllegalStateException wrongKey = assertThrows(IllegalStateException.class, () -> other.open(first));
    assertTrue(wrongKey.getMessage().contains("PARLEY_CREDENTIAL_KEY"));
  }

  @Test
  void tamperingIsDetected() {
    SecretBox box = SecretBox.fromBase64(SecretBox.newBase64Key());
    String sealed = box.seal("secret");
    byte[] bytes = java.util.Base64.getDecoder().decode(sealed.substring(3));
    bytes[14] ^= 1; // a ciphertext byte, past the 12-byte nonce
    String tampered = "v1:" + java.util.Base64.getEncoder().encodeToString(bytes);
    assertThrows(IllegalStateException.class, () -> box.open(tampered));
  }

  @Test
  void aKeyOfTheWrongSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64("c2hvcnQ="));
    assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
  }
}
