package dev.parley.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens that let one connection join one call, so a browser's WebSocket URL needs no
 * API key: {@code ct_<payload>.<signature>}, the payload binding call id, org id and expiry, signed
 * with HMAC-SHA256 under a secret every node shares.
 */
public final class CallTokens {

  public static final String PREFIX = "ct_";
  public static final int MIN_SECRET_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** Why a token was refused, or the org it lets in. */
  public sealed interface Verdict {}

  public record Valid(String orgId) implements Verdict {}

  public record Refused(String reason) implements Verdict {}

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final Clock clock;

  public CallTokens(String secret, Duration lifetime, Clock clock) {
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("The call token secret must be at least " + MIN_SECRET_LENGTH
          + " characters long; generate one with `openssl rand -base64 32`");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public static String newSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return ENCODER.encodeToString(secret);
  }

  public static boolean looksLikeToken(String value) {
    return value.startsWith(PREFIX);
  }

  public String issue(String callId, String orgId) {
    return issue(callId, orgId, clock.instant().plus(lifetime));
  }

  public String issue(String callId, String orgId, Instant expiresAt) {
    String payload = ENCODER.encodeToString(
        (callId + "|" + orgId + "|" + expiresAt.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
    return PREFIX + payload + "." + ENCODER.encodeToString(sign(payload));
  }

  public Verdict verify(String token, String callId) {
    int dot = token.indexOf('.');
    if (!looksLikeToken(token) || dot < 0) {
      return new Refused("Invalid call token");
    }
    String payload = token.substring(PREFIX.length(), dot);
    String[] fields;
    try {
      byte[] signature = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, sign(payload))) {
        return new Refused("Invalid call token");
      }
      fields = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split("\\|");
    } catch (IllegalArgumentException notBase64) {
      return new Refused("Invalid call token");
    }
    if (fields.length != 3 || !fields[2].matches("\\d+")) {
      return new Refused("Invalid call token");
    }
    if (!fields[0].equals(callId)) {
      return new Refused("This call token is for another call");
    }
    if (!clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(fields[2])))) {
      return new Refused("The call token has expired; create a new call or use an API key");
    }
    return new Valid(fields[1]);
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    }
  }
}
