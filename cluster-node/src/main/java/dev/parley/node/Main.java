package dev.parley.node;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraException;

/**
 * Starts one node with the profile named by PARLEY_PROFILE (default dev); with the argument
 * {@code cassandra}, only the dev profile's embedded Cassandra.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    String profile = NodeConfig.profileFromEnvironment();
    Node node;
    try {
      Config config = NodeConfig.load(profile, ConfigFactory.empty());
      if (args.length > 0 && args[0].equals("cassandra")) {
        CassandraOnly.run(config);
        return;
      }
      PortPreflight.requireFree(config);
      node = Node.start(config);
    } catch (EmbeddedCassandraException | IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("parley: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.error("parley: cannot start", e);
      System.exit(1);
      return;
    }
    node.system().getWhenTerminated().thenRun(() -> log.info("Node stopped"));
    node.ready().thenCompose(ready -> node.binding())
        .thenAccept(binding -> announce(node, profile, binding.localAddress(), started))
        .exceptionally(failure -> {
          log.error("parley: the node could not get ready", failure);
          return null;
        });
  }

  private static void announce(Node node, String profile, InetSocketAddress address, long started) {
    Config config = node.system().settings().config();
    String configuredUrl = config.getString("parley.http.public-url");
    String host = address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
    String url = configuredUrl.isBlank() ? "http://" + host + ":" + address.getPort() : configuredUrl;
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    StringBuilder banner = new StringBuilder()
        .append("\n  Parley is ready (profile ").append(profile).append(", ").append(millis).append(" ms)\n")
        .append("  URL:         ").append(url).append('\n')
        .append("  Health:      ").append(url).append("/health/ready\n");
    node.devKeys().toCompletableFuture().join().ifPresent(keys -> banner
        .append("  Dev API key: ").append(keys.privateKey()).append("  (also in ")
        .append(node.dataDir().resolve(DevApiKey.FILE_NAME)).append(")\n")
        .append("  Public key:  ").append(keys.publicKey()).append("  (browser calls; ")
        .append(node.dataDir().resolve(DevApiKey.PUBLIC_FILE_NAME)).append(")\n")
        .append("  Talk page:   ").append(url).append("/dashboard/talk.html?key=").append(keys.publicKey())
        .append("&assistantId=<an assistant's id>\n")
        .append("  API docs:    ").append(url).append("/api-docs/openapi.json\n"));
    System.out.println(banner);
  }
}
