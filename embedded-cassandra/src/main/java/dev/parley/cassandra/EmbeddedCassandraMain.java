package dev.parley.cassandra;

import java.io.IOException;
import java.io.InputStream;

import org.apache.cassandra.service.CassandraDaemon;

/**
 * Starts Cassandra in a child JVM of a Parley node. With {@code -Dparley.exit-with-owner=true} the
 * server exits (draining as on SIGTERM) as soon as its standard input reaches end of file, which
 * happens when the owning process dies for any reason, kill -9 included: no orphan survives it.
 */
public final class EmbeddedCassandraMain {

  private EmbeddedCassandraMain() {}

  public static void main(String[] args) {
    if (Boolean.getBoolean("parley.exit-with-owner")) {
      Thread watcher = new Thread(EmbeddedCassandraMain::exitWhenOwnerGone, "parley-owner-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    CassandraDaemon.main(args);
  }

  private static void exitWhenOwnerGone() {
    InputStream in = System.in;
    try {
      while (in.read() != -1) {
        // the owner never writes; anything it does write is ignored
      }
    } catch (IOException closed) {
      // a broken pipe means the same as end of file
    }
    System.err.println("parley: owning process is gone, shutting Cassandra down");
    System.exit(0);
  }
}
