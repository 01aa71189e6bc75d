package dev.parley.persistence.cassandra;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Turns {@code parley.cassandra.contact-points}, a comma-separated string so that one environment
 * variable can set it, into the driver's contact-point list.
 */
public final class CassandraDriverConfig {

  private CassandraDriverConfig() {}

  /** Config to lay over the rest so the driver connects to the given "host:port,host:port". */
  public static Config contactPoints(String commaSeparated) {
    List<String> points = Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
    if (points.isEmpty()) {
      throw new IllegalArgumentException("parley.cassandra.contact-points is empty");
    }
    return ConfigFactory.parseMap(Map.of(
        "parley.cassandra.contact-points", String.join(",", points),
        "datastax-java-driver.basic.contact-points", points));
  }

  /** The driver settings implied by {@code parley.cassandra.contact-points} in {@code config}. */
  public static Config fromParleyConfig(Config config) {
    return contactPoints(config.getString("parley.cassandra.contact-points"));
  }
}
