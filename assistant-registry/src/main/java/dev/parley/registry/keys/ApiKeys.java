package dev.parley.registry.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.pattern.StatusReply;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Issues keys and authenticates requests. Keys are 32 random bytes; only their SHA-256 is kept
 * (a fast hash is right for high-entropy secrets). Lookups are cached per node for a short time,
 * so a revoked key stops working within {@code cacheFor}.
 */
public final class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final AsyncLoadingCache<String, Optional<Principal>> byHash;

  private ApiKeys(ClusterSharding sharding, Duration askTimeout, Duration cacheFor) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.byHash = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(cacheFor)
        .buildAsync((hash, executor) -> lookup(hash).toCompletableFuture());
  }

  public static ApiKeys init(ActorSystem<?> system, Duration askTimeout, Duration cacheFor) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ApiKeyEntity.ENTITY_KEY, ctx -> ApiKeyEntity.create(ctx.getEntityId())));
    return new ApiKeys(sharding, askTimeout, cacheFor);
  }

  /** A new random key with a readable prefix ("sk_" private, "pk_" public). */
  public static String newKey(KeyKind kind) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return (kind == KeyKind.PRIVATE ? "sk_" : "pk_") + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Binds {@code key} to the org; idempotent for the same org and kind. */
  public CompletionStage<Principal> issue(String key, String orgId, KeyKind kind) {
    String hash = hash(key);
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_KEY, hash)
        .<StatusReply<Principal>>ask(replyTo -> new ApiKeyEntity.Issue(orgId, kind, Instant.now(), replyTo), askTimeout)
        .thenApply(StatusReply::getValue)
        .whenComplete((principal, failure) -> byHash.synchronous().invalidate(hash));
  }

  public CompletionStage<Principal> revoke(String key) {
    String hash = hash(key);
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_KEY, hash)
        .<StatusReply<Principal>>ask(replyTo -> new ApiKeyEntity.Revoke(Instant.now(), replyTo), askTimeout)
        .thenApply(StatusReply::getValue)
        .whenComplete((principal, failure) -> byHash.synchronous().invalidate(hash));
  }

  /** The principal for a presented key, or empty for an unknown or revoked one. */
  public CompletionStage<Optional<Principal>> authenticate(String key) {
    if (key == null || key.isBlank() || key.length() > 200) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return byHash.get(hash(key));
  }

  private CompletionStage<Optional<Principal>> lookup(String hash) {
    return sharding.entityRefFor(ApiKeyEntity.ENTITY_KEY, hash)
        .ask(ApiKeyEntity.Lookup::new, askTimeout)
        .thenApply(ApiKeyEntity.Found::principal);
  }
}
