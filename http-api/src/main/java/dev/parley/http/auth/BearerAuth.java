package dev.parley.http.auth;

import java.util.Optional;
import java.util.function.Function;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import dev.parley.http.errors.ErrorResponses;
import dev.parley.registry.keys.ApiKeys;
import dev.parley.registry.keys.KeyKind;
import dev.parley.registry.keys.Principal;

/** {@code Authorization: Bearer <private key>} on every REST route; 401 JSON otherwise. */
public final class BearerAuth extends AllDirectives {

  private static final String PREFIX = "bearer ";
  private final ApiKeys apiKeys;

  public BearerAuth(ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
  }

  public Route privateKey(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> key = header.filter(h -> h.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
          .map(h -> h.substring(PREFIX.length()).strip());
      if (key.isEmpty()) {
        return unauthorized("Missing Authorization header: send 'Authorization: Bearer <your private API key>'");
      }
      return onSuccess(apiKeys.authenticate(key.get()), principal -> {
        if (principal.isEmpty()) {
          return unauthorized("Invalid API key");
        }
        if (principal.get().kind() != KeyKind.PRIVATE) {
          return unauthorized("This endpoint needs a private API key; a public key only starts browser calls");
        }
        return inner.apply(principal.get());
      });
    });
  }

  /**
   * A call connection: any key of the org, private or public, from {@code Authorization: Bearer}
   * or, for browsers (which cannot set headers on a WebSocket), from the {@code token} query
   * parameter.
   */
  public Route anyKey(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> parameterOptional("token", token -> {
      Optional<String> key = header.filter(h -> h.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
          .map(h -> h.substring(PREFIX.length()).strip())
          .or(() -> token.map(String::strip));
      if (key.isEmpty()) {
        return unauthorized("Missing key: send 'Authorization: Bearer <API key>' or '?token=<public key>'");
      }
      return onSuccess(apiKeys.authenticate(key.get()), principal -> principal.isEmpty()
          ? unauthorized("Invalid API key")
          : inner.apply(principal.get()));
    }));
  }

  private Route unauthorized(String message) {
    return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "parley")),
        () -> complete(ErrorResponses.response(StatusCodes.UNAUTHORIZED, message)));
  }
}
