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

/**
 * {@code Authorization: Bearer <private key>} on every REST route (a public key only for
 * {@code POST /call}), call tokens or keys on call connections; 401 JSON otherwise.
 */
public final class BearerAuth extends AllDirectives {

  private static final String PREFIX = "bearer ";
  private final ApiKeys apiKeys;

  public BearerAuth(ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
  }

  public Route privateKey(Function<Principal, Route> inner) {
    return headerKey(principal -> requirePrivate(principal, () -> inner.apply(principal)));
  }

  /** {@code Authorization: Bearer <key>}, private or public; the route decides what a public key may do. */
  public Route headerKey(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> key = bearer(header);
      if (key.isEmpty()) {
        return unauthorized("Missing Authorization header: send 'Authorization: Bearer <your private API key>'");
      }
      return onSuccess(apiKeys.authenticate(key.get()), principal -> principal.isEmpty()
          ? unauthorized("Invalid API key")
          : inner.apply(principal.get()));
    });
  }

  public Route requirePrivate(Principal principal, java.util.function.Supplier<Route> inner) {
    return principal.kind() == KeyKind.PRIVATE
        ? inner.get()
        : unauthorized("This endpoint needs a private API key; a public key only starts browser calls");
  }

  /**
   * A call connection, tried in this order: a call token for this call in {@code ?token=} (what
   * {@code websocketCallUrl} carries), any key of the org from {@code Authorization: Bearer}, or a
   * public key in {@code ?token=} (browsers cannot set headers on a WebSocket). {@code inner} gets
   * the org id.
   */
  public Route callConnection(String callId, CallTokens tokens, Function<String, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> parameterOptional("token", param -> {
      Optional<String> token = param.map(String::strip).filter(t -> !t.isEmpty());
      Optional<String> headerKey = bearer(header);
      if (token.isPresent() && CallTokens.looksLikeToken(token.get())) {
        CallTokens.Verdict verdict = tokens.verify(token.get(), callId);
        if (verdict instanceof CallTokens.Valid valid) {
          return inner.apply(valid.orgId());
        }
        if (headerKey.isEmpty()) {
          return unauthorized(((CallTokens.Refused) verdict).reason());
        }
      }
      Optional<String> publicKey = token.filter(t -> !CallTokens.looksLikeToken(t));
      Optional<String> key = headerKey.or(() -> publicKey);
      if (key.isEmpty()) {
        return unauthorized("Missing key: connect with the call's websocketCallUrl (it carries a token), "
            + "send 'Authorization: Bearer <API key>' or add '?token=<public key>'");
      }
      return onSuccess(apiKeys.authenticate(key.get()), principal -> principal.isEmpty()
          ? unauthorized("Invalid API key")
          : inner.apply(principal.get().orgId()));
    }));
  }

  private static Optional<String> bearer(Optional<String> header) {
    return header.filter(h -> h.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
        .map(h -> h.substring(PREFIX.length()).strip());
  }

  public Route unauthorized(String message) {
    return respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "parley")),
        () -> complete(ErrorResponses.response(StatusCodes.UNAUTHORIZED, message)));
  }
}
