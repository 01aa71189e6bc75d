package dev.parley.node;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

import dev.parley.call.CallService;
import dev.parley.call.providers.ProviderCatalog;
import dev.parley.call.readside.CallReadSide;
import dev.parley.http.HttpApi;
import dev.parley.http.auth.CallTokens;
import dev.parley.http.validation.RequestValidator;
import dev.parley.node.downing.DeadProcessDowning;
import dev.parley.node.downing.DeadProcessTakeover;
import dev.parley.registry.Registry;
import dev.parley.registry.crypto.SecretBox;
import dev.parley.registry.keys.KeyKind;
import dev.parley.persistence.cassandra.CassandraDriverConfig;
import dev.parley.persistence.cassandra.CassandraSchema;
import dev.parley.persistence.journal.JournalWarmUp;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandra;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraSettings;

import kamon.Kamon;

/**
 * One running node: an embedded Cassandra (dev profile), the actor system in its cluster, the
 * schema, management and the HTTP API. {@link #start} is what {@code Main} runs and what tests
 * call with their own configuration.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final ActorSystem<Void> system;
  private final Optional<EmbeddedCassandra> cassandra;
  private final Registry registry;
  private final CallService calls;
  private final CompletionStage<ServerBinding> binding;
  private final CompletionStage<Done> schema;
  private final CompletionStage<Optional<DevApiKey.Keys>> devKeys;

  private Node(ActorSystem<Void> system, Optional<EmbeddedCassandra> cassandra, Registry registry, CallService calls,
      CompletionStage<ServerBinding> binding, CompletionStage<Done> schema,
      CompletionStage<Optional<DevApiKey.Keys>> devKeys) {
    this.system = system;
    this.cassandra = cassandra;
    this.registry = registry;
    this.calls = calls;
    this.binding = binding;
    this.schema = schema;
    this.devKeys = devKeys;
  }

  /** Blocking while the embedded Cassandra starts (start-up only); the rest is asynchronous. */
  public static Node start(Config loaded) {
    // Kamon must be set up before the actor system; its agent attach takes seconds, so it runs
    // while Cassandra boots.
    CompletableFuture<Void> kamon = CompletableFuture.runAsync(() -> initKamon(loaded),
        runnable -> new Thread(runnable, "parley-kamon-init").start());
    Optional<EmbeddedCassandra> cassandra = Optional.empty();
    Config config;
    if (loaded.getBoolean("parley.cassandra.embedded.enabled")) {
      EmbeddedCassandra server = EmbeddedCassandra.start(EmbeddedCassandraSettings.fromConfig(loaded));
      cassandra = Optional.of(server);
      config = CassandraDriverConfig.contactPoints(server.contactPointString()).withFallback(loaded);
    } else {
      config = CassandraDriverConfig.fromParleyConfig(loaded).withFallback(loaded);
    }
    try {
      kamon.join();
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), config.getString("parley.cluster.name"), config);
      cassandra.ifPresent(c -> c.stopOnJvmShutdown(system.getWhenTerminated()));
      system.getWhenTerminated().thenRun(Kamon::stop);
      return init(system, cassandra);
    } catch (RuntimeException e) {
      cassandra.ifPresent(EmbeddedCassandra::close);
      throw e;
    }
  }

  private static void initKamon(Config config) {
    if (config.getBoolean("parley.metrics.instrumentation")) {
      Kamon.init(config);
    } else {
      Kamon.initWithoutAttaching(config);
    }
  }

  /** Wires everything onto a started actor system. */
  static Node init(ActorSystem<Void> system, Optional<EmbeddedCassandra> cassandra) {
    Config config = system.settings().config();
    joinCluster(system, config);
    DeadProcessDowning.startIfEnabled(system);
    DeadProcessTakeover.startIfEnabled(system);
    if (config.getBoolean("parley.management.enabled")) {
      PekkoManagement.get(Adapter.toClassic(system)).start();
    }
    Registry registry = Registry.init(system, credentialBox(config));
    CallService calls = CallService.init(system, ProviderCatalog.create(system));
    CallReadSide callList = CallReadSide.init(system);
    List<String> readModels = new ArrayList<>(Registry.schemaStatements(config));
    readModels.addAll(CallReadSide.schemaStatements(config));
    CompletionStage<Done> schema = createSchema(system, readModels);
    schema.thenRun(() -> {
      warmUpJournals(system);
      calls.startSharding();
      registry.startProjections();
      callList.startProjection();
    });
    // the first entities recover from a cold journal: on a busy machine that can outlast one ask
    CompletionStage<Optional<DevApiKey.Keys>> devKeys = schema.thenCompose(done -> Patterns.retry(
        () -> issueDevKeys(registry, config), 10, Duration.ofSeconds(1),
        Adapter.toClassic(system).scheduler(), system.executionContext()));
    RequestValidator validator = RequestValidator.fromClasspath();
    CompletionStage<ServerBinding> binding = Http.get(system)
        .newServerAt(config.getString("parley.http.interface"), config.getInt("parley.http.port"))
        .bind(new HttpApi(system, registry, new HttpApi.Calls(calls, callList, callTokens(config)),
            validator::validate, validator.documentBytes(), () -> SchemaReadiness.isReady(system)).routes())
        .thenApply(b -> b.addToCoordinatedShutdown(Duration.ofSeconds(10), system));
    binding.whenComplete((b, failure) -> {
      if (failure != null) {
        log.error("Cannot serve HTTP on {}:{}: {}. Is another node running? Set PARLEY_HTTP_PORT.",
            config.getString("parley.http.interface"), config.getInt("parley.http.port"), failure.getMessage());
        system.terminate();
      }
    });
    return new Node(system, cassandra, registry, calls, binding, schema, devKeys);
  }

  /** The dev profile's org gets the keys kept in the data directory. */
  private static CompletionStage<Optional<DevApiKey.Keys>> issueDevKeys(Registry registry, Config config) {
    if (!config.getBoolean("parley.dev-org.enabled")) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    // start-up only: reads (or writes once) two small files in the data directory
    DevApiKey.Keys keys = DevApiKey.ensure(dataDir(config));
    return registry.apiKeys().issue(keys.privateKey(), DevApiKey.DEV_ORG_ID, KeyKind.PRIVATE)
        .thenCompose(p -> registry.apiKeys().issue(keys.publicKey(), DevApiKey.DEV_ORG_ID, KeyKind.PUBLIC))
        .thenApply(p -> Optional.of(keys));
  }

  /**
   * Credentials are encrypted with PARLEY_CREDENTIAL_KEY; the dev profile generates one into the
   * data directory when none is set, any other profile refuses to start without it.
   */
  private static SecretBox credentialBox(Config config) {
    String configured = config.getString("parley.assistant-registry.credential-key");
    if (!configured.isBlank()) {
      return SecretBox.fromBase64(configured);
    }
    if (!config.getBoolean("parley.dev-org.enabled")) {
      throw new IllegalArgumentException("PARLEY_CREDENTIAL_KEY is not set: credentials are encrypted with it. "
          + "Generate one with `openssl rand -base64 32` and keep it safe.");
    }
    return SecretBox.fromBase64(DevApiKey.ensureFile(
        dataDir(config).resolve(DevApiKey.CREDENTIAL_KEY_FILE_NAME), SecretBox::newBase64Key));
  }

  /**
   * Call tokens are signed with PARLEY_CALL_TOKEN_SECRET, which every node of a cluster shares; the
   * dev profile generates one into the data directory when none is set.
   */
  private static CallTokens callTokens(Config config) {
    Duration lifetime = config.getDuration("parley.http.call-token.lifetime");
    String configured = config.getString("parley.http.call-token.secret");
    if (!configured.isBlank()) {
      return new CallTokens(configured, lifetime, Clock.systemUTC());
    }
    if (!config.getBoolean("parley.dev-org.enabled")) {
      throw new IllegalArgumentException("PARLEY_CALL_TOKEN_SECRET is not set: call URLs are signed with it, and "
          + "every node needs the same one. Generate one with `openssl rand -base64 32`.");
    }
    // start-up only: reads (or writes once) a small file in the data directory
    return new CallTokens(DevApiKey.ensureFile(dataDir(config).resolve(DevApiKey.CALL_TOKEN_SECRET_FILE_NAME),
        CallTokens::newSecret), lifetime, Clock.systemUTC());
  }

  private static Path dataDir(Config config) {
    return Path.of(config.getString("parley.data-dir")).toAbsolutePath().normalize();
  }

  private static void joinCluster(ActorSystem<Void> system, Config config) {
    Cluster cluster = Cluster.get(system);
    if (config.getBoolean("parley.cluster.bootstrap")) {
      ClusterBootstrap.get(Adapter.toClassic(system)).start();
    } else if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    // otherwise Pekko joins the configured seed nodes by itself
  }

  /**
   * The journal plugins start before the first call needs them: on a node that restarted after a
   * crash, that call is one moving here from a dead node (see {@link JournalWarmUp}).
   */
  private static void warmUpJournals(ActorSystem<Void> system) {
    Config config = system.settings().config();
    List<List<String>> plugins = List.of(List.of("", ""), List.of(
        config.getString("pekko.cluster.sharding.journal-plugin-id"),
        config.getString("pekko.cluster.sharding.snapshot-plugin-id")));
    for (List<String> plugin : plugins.stream().distinct().toList()) {
      JournalWarmUp.run(system, plugin.get(0), plugin.get(1)).whenComplete((done, failure) -> {
        if (failure != null) {
          log.warn("The journal plugins {} did not start ahead of the first entity: {}", plugin, failure.toString());
        }
      });
    }
  }

  /** Keeps trying while Cassandra is unreachable; readiness stays down until it succeeds. */
  private static CompletionStage<Done> createSchema(ActorSystem<Void> system, List<String> readModels) {
    CompletionStage<Done> created = Patterns.retry(
        () -> CassandraSchema.createAll(system, readModels),
        Integer.MAX_VALUE,
        attempt -> Optional.of(Duration.ofMillis(Math.min(10_000, 250L * (1L << Math.min(attempt, 6))))),
        Adapter.toClassic(system).scheduler(),
        system.executionContext());
    created.whenComplete((done, failure) -> {
      if (failure == null) {
        SchemaReadiness.markReady(system);
        log.info("Cassandra keyspace '{}' and tables are in place",
            system.settings().config().getString("parley.cassandra.keyspace"));
      } else {
        log.error("Creating the Cassandra schema failed", failure);
      }
    });
    return created;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Optional<EmbeddedCassandra> cassandra() {
    return cassandra;
  }

  public CompletionStage<ServerBinding> binding() {
    return binding;
  }

  public CompletionStage<Done> schema() {
    return schema;
  }

  public Path dataDir() {
    return dataDir(system.settings().config());
  }

  public Registry registry() {
    return registry;
  }

  public CallService calls() {
    return calls;
  }

  /** The dev org's keys once issued (dev profile), empty in other profiles. */
  public CompletionStage<Optional<DevApiKey.Keys>> devKeys() {
    return devKeys;
  }

  /** Completes when the node serves HTTP, its schema exists and the dev keys (if any) work. */
  public CompletionStage<Done> ready() {
    return binding.thenCombine(schema, (b, s) -> Done.getInstance())
        .thenCombine(devKeys, (d, k) -> Done.getInstance());
  }

  /** Terminates the actor system, then stops the Cassandra this node started. Blocking. */
  public void stop() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (Exception e) {
      log.warn("Actor system did not terminate cleanly: {}", e.toString());
    }
    cassandra.ifPresent(EmbeddedCassandra::close);
  }
}
