package dev.parley.node;

import java.util.concurrent.CountDownLatch;

import com.typesafe.config.Config;

import dev.parley.persistence.cassandra.embedded.EmbeddedCassandra;
import dev.parley.persistence.cassandra.embedded.EmbeddedCassandraSettings;

/**
 * {@code parley-node cassandra}: only the dev profile's embedded Cassandra, for several nodes on one
 * machine to share (./run --nodes N). It stops with this process, kill -9 included.
 */
final class CassandraOnly {

  static final String READY_LINE = "parley: cassandra ready at ";

  private CassandraOnly() {}

  static void run(Config config) throws InterruptedException {
    EmbeddedCassandra server = EmbeddedCassandra.start(EmbeddedCassandraSettings.fromConfig(config));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parley-cassandra-stop"));
    System.out.println(READY_LINE + server.contactPointString());
    new CountDownLatch(1).await();
  }
}
