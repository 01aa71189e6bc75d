package dev.parley.node;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraException;

/** Starts one node with the profile named by PARLEY_PROFILE (default dev). */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    long started = System.nanoTime();
    String profile = NodeConfig.profileFromEnvironment();
    Node node;
    try {
      Config config = NodeConfig.load(profile, ConfigFactory.empty());
      PortPreflight.requireFree(config);
      node = Node.start(config);
    } catch (EmbeddedCassandraException | IllegalArgumentException | com.typesafe.config.ConfigException e) {
      System.err.println("parley: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      log.error("parley: cannot start", e);
      System.exit(1);
      return;
    }
    node.system().getWhenTerminated().thenRun(() -> log.info("Node stopped"));
    node.binding().thenCombine(node.schema(), (binding, schema) -> binding)
        .thenAccept(binding -> announce(node, profile, binding.localAddress(), started));
  }

  private static void announce(Node node, String profile, InetSocketAddress address, long started) {
    Config config = node.system().settings().config();
    String url = config.getString("parley.http.public-url");
    if (url.isBlank()) {
      String host = address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
      url = "http://" + host + ":" + address.getPort();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    StringBuilder banner = new StringBuilder()
        .append("\n  Parley is ready (profile ").append(profile).append(", ").append(millis).append(" ms)\n")
        .append("  URL:         ").append(url).append('\n')
        .append("  Health:      ").append(url).append("/health/ready\n");
    if ("dev".equals(profile)) {
      String key = DevApiKey.ensure(node.dataDir());
      banner.append("  Dev API key: ").append(key).append("  (also in ")
          .append(node.dataDir().resolve(DevApiKey.FILE_NAME)).append(")\n");
    }
    System.out.println(banner);
  }
}
