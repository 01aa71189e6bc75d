package dev.parley.node.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;

import dev.parley.node.Node;
import dev.parley.node.NodeConfig;
import dev.parley.node.rest.ApiClient;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.ApiKeys;
import dev.parley.registry.keys.KeyKind;

/**
 * A node in this JVM on the shared test Cassandra, with its own keyspace and data directory;
 * {@code extra} settings win (e.g. another Cassandra's contact point).
 */
public final class TestNode {

  public final Node node;
  public final int port;
  public final String keyspace;
  public final Path dataDir;

  private TestNode(Node node, int port, String keyspace, Path dataDir) {
    this.node = node;
    this.port = port;
    this.keyspace = keyspace;
    this.dataDir = dataDir;
  }

  public static TestNode start(String keyspace, Path dataDir, Map<String, Object> extra) throws Exception {
    int port = TestCassandra.freePort();
    Map<String, Object> settings = new HashMap<>(Map.of(
        "parley.cassandra.embedded.enabled", false,
        "parley.cassandra.contact-points", TestCassandra.server().contactPointString(),
        "parley.cassandra.keyspace", keyspace,
        "parley.data-dir", dataDir.toString(),
        "parley.http.port", port,
        "parley.cluster.port", 0,
        "parley.management.enabled", false,
        "parley.metrics.instrumentation", false,
        "pekko.coordinated-shutdown.exit-jvm", "off"));
    // lists follow the journal quickly in tests
    settings.put("pekko.persistence.cassandra.events-by-tag.eventual-consistency-delay", "200ms");
    // a fresh keyspace has no events before this hour: nothing older to scan
    settings.put("pekko.persistence.cassandra.events-by-tag.first-time-bucket",
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:00").withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.now().minus(java.time.Duration.ofHours(1))));
    // a test machine may be busy: answers take longer than a production node should allow
    settings.put("parley.call-actors.ask-timeout", "30s");
    settings.put("parley.assistant-registry.ask-timeout", "30s");
    settings.putAll(extra);
    Node node = Node.start(NodeConfig.load("dev", ConfigFactory.parseMap(settings)));
    node.ready().toCompletableFuture().get(90, TimeUnit.SECONDS);
    return new TestNode(node, port, keyspace, dataDir);
  }

  /** A client for a fresh org with its own private key. */
  public ApiClient newOrg() throws Exception {
    return clientFor(UUID.randomUUID().toString());
  }

  public ApiClient clientFor(String orgId) throws Exception {
    String key = ApiKeys.newKey(KeyKind.PRIVATE);
    node.registry().apiKeys().issue(key, orgId, KeyKind.PRIVATE).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new ApiClient(port, key);
  }

  public String issue(String orgId, KeyKind kind) throws Exception {
    String key = ApiKeys.newKey(kind);
    node.registry().apiKeys().issue(key, orgId, kind).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return key;
  }

  public void stop() {
    node.stop();
  }
}
