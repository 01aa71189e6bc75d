package dev.parley.registry.resource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the REST routes call: commands to the resource entities, lists from the read side. Bodies
 * come back open (credentials decrypted); hiding secrets is the caller's job.
 */
public final class ResourceService {

  private final ClusterSharding sharding;
  private final ResourceRepository repository;
  private final Map<ResourceKind, BodyCodec> codecs;
  private final Duration askTimeout;

  private ResourceService(ClusterSharding sharding, ResourceRepository repository,
      Map<ResourceKind, BodyCodec> codecs, Duration askTimeout) {
    this.sharding = sharding;
    this.repository = repository;
    this.codecs = codecs;
    this.askTimeout = askTimeout;
  }

  /** Starts sharding for every kind; the projection starts separately, once the schema exists. */
  public static ResourceService init(ActorSystem<?> system, ResourceRepository repository,
      Map<ResourceKind, BodyCodec> codecs, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    for (ResourceKind kind : ResourceKind.values()) {
      BodyCodec codec = codecs.getOrDefault(kind, BodyCodec.PLAIN);
      sharding.init(Entity.of(kind.entityKey(), ctx -> ResourceEntity.create(kind, ctx.getEntityId(), codec)));
    }
    return new ResourceService(sharding, repository, codecs, askTimeout);
  }

  public CompletionStage<StatusReply<Resource>> create(ResourceKind kind, String orgId, String body) {
    Instant now = now();
    return ref(kind, UUID.randomUUID().toString())
        .ask(replyTo -> new ResourceEntity.Create(orgId, body, now, replyTo), askTimeout);
  }

  public CompletionStage<StatusReply<Resource>> get(ResourceKind kind, String orgId, String id) {
    return ref(kind, id).ask(replyTo -> new ResourceEntity.Get(orgId, replyTo), askTimeout);
  }

  public CompletionStage<StatusReply<Resource>> update(ResourceKind kind, String orgId, String id, String patch) {
    Instant now = now();
    return ref(kind, id).ask(replyTo -> new ResourceEntity.Update(orgId, patch, now, replyTo), askTimeout);
  }

  public CompletionStage<StatusReply<Resource>> delete(ResourceKind kind, String orgId, String id) {
    Instant now = now();
    return ref(kind, id).ask(replyTo -> new ResourceEntity.Delete(orgId, now, replyTo), askTimeout);
  }

  /** From the read side: eventually consistent, about a second behind the entities. */
  public CompletionStage<List<Resource>> list(ResourceKind kind, String orgId, ListQuery query) {
    BodyCodec codec = codecs.getOrDefault(kind, BodyCodec.PLAIN);
    return repository.list(kind, orgId, query)
        .thenApply(rows -> rows.stream().map(r -> r.withBody(codec.open(r.body()))).toList());
  }

  private EntityRef<ResourceEntity.Command> ref(ResourceKind kind, String id) {
    return sharding.entityRefFor(kind.entityKey(), id);
  }

  /** Cassandra keeps milliseconds: so do we, or a row and its entity would disagree. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
