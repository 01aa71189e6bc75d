package dev.parley.registry.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.parley.registry.resource.BodyCodec;

/**
 * AES-256-GCM for secrets at rest: "v1:" + base64(12-byte nonce + ciphertext + tag). The version
 * prefix leaves room for key rotation.
 */
public final class SecretBox implements BodyCodec {

  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] keyBytes) {
    if (keyBytes.length != 32) {
      throw new IllegalArgumentException("the credential key must be 32 bytes (base64 of 32 random bytes), got "
          + keyBytes.length);
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
  }

  public static SecretBox fromBase64(String base64Key) {
    try {
      return new SecretBox(Base64.getDecoder().decode(base64Key.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the credential key is not valid base64 of 32 bytes: " + e.getMessage(), e);
    }
  }

  public static String newBase64Key() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public String seal(String plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  @Override
  public String open(String stored) {
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalStateException("not a sealed value (expected the " + PREFIX + " prefix)");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt a credential: wrong PARLEY_CREDENTIAL_KEY?", e);
    }
  }
}
