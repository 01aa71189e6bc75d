package dev.parley.http.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.typesafe.config.Config;

import dev.parley.http.errors.ErrorResponses;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A token bucket per API key on each node (Bucket4j): {@code burst} requests at once, refilled at
 * {@code requests-per-second}. Every answer carries X-RateLimit-Limit/-Remaining/-Reset; a request
 * over the limit gets 429 with Retry-After.
 */
public final class RateLimiter extends AllDirectives {

  private final boolean enabled;
  private final long burst;
  private final long perSecond;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

  public RateLimiter(Config config) {
    Config c = config.getConfig("parley.http.rate-limit");
    this.enabled = c.getBoolean("enabled");
    this.burst = c.getLong("burst");
    this.perSecond = c.getLong("requests-per-second");
  }

  public Route limit(String key, Supplier<Route> inner) {
    if (!enabled) {
      return inner.get();
    }
    Bucket bucket = buckets.get(key, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long remaining = probe.getRemainingTokens();
    long resetSeconds = (long) Math.ceil((double) (burst - remaining) / perSecond);
    List<HttpHeader> headers = List.of(
        RawHeader.create("X-RateLimit-Limit", Long.toString(burst)),
        RawHeader.create("X-RateLimit-Remaining", Long.toString(remaining)),
        RawHeader.create("X-RateLimit-Reset", Long.toString(resetSeconds)));
    if (probe.isConsumed()) {
      return respondWithHeaders(headers, inner);
    }
    long retryAfter = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
    return respondWithHeaders(headers, () -> respondWithHeader(
        RawHeader.create("Retry-After", Long.toString(retryAfter)),
        () -> complete(ErrorResponses.response(StatusCodes.TOO_MANY_REQUESTS,
            "Rate limit of " + perSecond + " requests per second (bursts of " + burst
                + ") exceeded for this API key; retry in " + retryAfter + " s"))));
  }
}
