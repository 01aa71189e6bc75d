package dev.parley.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.pekko.actor.typed.ActorSystem;

import com.typesafe.config.Config;

import dev.parley.persistence.cassandra.CassandraSchema;
import dev.parley.registry.crypto.SecretBox;
import dev.parley.registry.keys.ApiKeys;
import dev.parley.registry.resource.ResourceKind;
import dev.parley.registry.resource.ResourceProjection;
import dev.parley.registry.resource.ResourceRepository;
import dev.parley.registry.resource.ResourceService;

/** The registry's entry point: sharding for its entities, its read side, its schema. */
public final class Registry {

  private final ActorSystem<?> system;
  private final ResourceRepository repository;
  private final ResourceService resources;
  private final ApiKeys apiKeys;

  private Registry(ActorSystem<?> system, ResourceRepository repository, ResourceService resources, ApiKeys apiKeys) {
    this.system = system;
    this.repository = repository;
    this.resources = resources;
    this.apiKeys = apiKeys;
  }

  /** The read-model tables, for {@link CassandraSchema#createAll}. */
  public static List<String> schemaStatements(Config config) {
    return ResourceRepository.schemaStatements(config.getString("parley.cassandra.keyspace"));
  }

  /**
   * Starts the entities; call {@link #startProjections()} once the schema exists. Credentials and
   * phone numbers (which carry provider tokens) are sealed at rest with {@code credentials}.
   */
  public static Registry init(ActorSystem<?> system, SecretBox credentials) {
    Config config = system.settings().config().getConfig("parley.assistant-registry");
    Duration askTimeout = config.getDuration("ask-timeout");
    ResourceRepository repository = new ResourceRepository(
        CassandraSchema.session(system), system.settings().config().getString("parley.cassandra.keyspace"));
    ResourceService resources = ResourceService.init(system, repository,
        Map.of(ResourceKind.CREDENTIAL, credentials, ResourceKind.PHONE_NUMBER, credentials), askTimeout);
    ApiKeys apiKeys = ApiKeys.init(system, askTimeout, config.getDuration("key-cache-ttl"));
    return new Registry(system, repository, resources, apiKeys);
  }

  public void startProjections() {
    ResourceProjection.init(system, repository);
  }

  public ResourceService resources() {
    return resources;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }
}
