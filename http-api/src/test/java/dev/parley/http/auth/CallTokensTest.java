package dev.parley.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CallTokensTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private final CallTokens tokens = new CallTokens(SECRET, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenLetsItsOrgIntoItsCallOnly() {
    String token = tokens.issue("call-1", "org-1");
    assertTrue(CallTokens.looksLikeToken(token));
    assertEquals(new CallTokens.Valid("org-1"), tokens.verify(token, "call-1"));
    assertEquals(new CallTokens.Refused("This call token is for another call"), tokens.verify(token, "call-2"));
  }

  @Test
  void itExpiresAfterItsLifetime() {
    String token = tokens.issue("call-1", "org-1");
    CallTokens later = new CallTokens(SECRET, Duration.ofMinutes(15),
        Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));
    assertEquals(new CallTokens.Refused("The call token has expired; create a new call or use an API key"),
        later.verify(token, "call-1"));
  }

  @Test
  void forgedOrDamagedTokensAreRefused() {
    String token = tokens.issue("call-1", "org-1");
    CallTokens otherSecret = new CallTokens("another secret, also 32 characters", Duration.ofMinutes(15),
        Clock.fixed(NOW, ZoneOffset.UTC));
    CallTokens.Refused invalid = new CallTokens.Refused("Invalid call token");
    assertEquals(invalid, otherSecret.verify(token, "call-1"));
    assertEquals(invalid, tokens.verify(token.substring(0, token.length() - 2), "call-1"));
    assertEquals(invalid, tokens.verify("ct_%%%.###", "call-1"));
    assertEquals(invalid, tokens.verify("ct_nodot", "call-1"));
    String swapped = "ct_" + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("call-1|org-2|9999999999".getBytes()) + token.substring(token.indexOf('.'));
    assertEquals(invalid, tokens.verify(swapped, "call-1"), "another org and expiry under the old signature");
  }

  @Test
  void aShortSecretIsRefusedAtStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CallTokens("short", Duration.ofMinutes(1), Clock.systemUTC()));
    assertTrue(e.getMessage().contains("at least 32 characters"), e.getMessage());
  }
}
