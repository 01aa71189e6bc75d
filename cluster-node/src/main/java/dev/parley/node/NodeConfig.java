package dev.parley.node;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Loads a profile ({@code dev.conf}: embedded Cassandra, single node; {@code cluster.conf}:
 * external Cassandra, seed nodes or Kubernetes bootstrap), with environment overrides as each
 * file declares them and, for tests, explicit overrides on top.
 */
public final class NodeConfig {

  public static final String PROFILE_ENV = "PARLEY_PROFILE";

  private NodeConfig() {}

  public static String profileFromEnvironment() {
    return System.getenv().getOrDefault(PROFILE_ENV, "dev");
  }

  public static Config load(String profile, Config overrides) {
    if (!List.of("dev", "cluster").contains(profile)) {
      throw new IllegalArgumentException(
          PROFILE_ENV + "=" + profile + " is not a profile: use dev or cluster");
    }
    Config loaded = ConfigFactory.load(overrides.withFallback(ConfigFactory.parseResourcesAnySyntax(profile)));
    return seedNodes(loaded).withFallback(loaded);
  }

  /** {@code parley.cluster.seed-nodes}, a comma-separated string for one env var, as Pekko's list. */
  static Config seedNodes(Config config) {
    List<String> seeds = Arrays.stream(config.getString("parley.cluster.seed-nodes").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
    return seeds.isEmpty()
        ? ConfigFactory.empty()
        : ConfigFactory.parseMap(Map.of("pekko.cluster.seed-nodes", seeds));
  }
}
