package dev.parley.persistence.cassandra.embedded;

import java.nio.file.Path;

import dev.parley.persistence.testkit.TestCassandra;

/**
 * A stand-in node for {@link EmbeddedCassandraTest}: starts a server on the given directory and
 * ports, prints its pid, and waits to be killed.
 */
public final class OwnerProcess {

  public static void main(String[] args) throws InterruptedException {
    EmbeddedCassandraSettings settings = TestCassandra.settings(Path.of(args[0]))
        .withPorts(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    EmbeddedCassandra server = EmbeddedCassandra.start(settings);
    System.out.println("CASSANDRA_PID=" + server.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
