package dev.parley.persistence.cassandra.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.typesafe.config.Config;

/**
 * Where and how the embedded Cassandra runs; read from {@code parley.cassandra.embedded}.
 *
 * @param serverClasspath the server JVM's classpath ({@code dir/*} entries allowed)
 * @param heapMegabytes the server's -Xmx; the free-memory check asks for this plus overhead
 * @param exitWithOwner the server exits when the process that started it dies
 */
public record EmbeddedCassandraSettings(
    Path dataDir,
    String host,
    int cqlPort,
    int storagePort,
    int heapMegabytes,
    String serverClasspath,
    Duration startTimeout,
    Duration stopTimeout,
    boolean exitWithOwner) {

  public static final String CONFIG_PATH = "parley.cassandra.embedded";

  public static EmbeddedCassandraSettings fromConfig(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    return new EmbeddedCassandraSettings(
        Path.of(c.getString("data-dir")).toAbsolutePath().normalize(),
        c.getString("host"),
        c.getInt("cql-port"),
        c.getInt("storage-port"),
        (int) (c.getMemorySize("heap").toBytes() / (1024 * 1024)),
        serverClasspath(c),
        c.getDuration("start-timeout"),
        c.getDuration("stop-timeout"),
        c.getBoolean("exit-with-owner"));
  }

  public EmbeddedCassandraSettings withDataDir(Path dir) {
    return new EmbeddedCassandraSettings(dir, host, cqlPort, storagePort, heapMegabytes,
        serverClasspath, startTimeout, stopTimeout, exitWithOwner);
  }

  public EmbeddedCassandraSettings withPorts(int cql, int storage) {
    return new EmbeddedCassandraSettings(dataDir, host, cql, storage, heapMegabytes,
        serverClasspath, startTimeout, stopTimeout, exitWithOwner);
  }

  public EmbeddedCassandraSettings withHeapMegabytes(int megabytes) {
    return new EmbeddedCassandraSettings(dataDir, host, cqlPort, storagePort, megabytes,
        serverClasspath, startTimeout, stopTimeout, exitWithOwner);
  }

  public EmbeddedCassandraSettings withExitWithOwner(boolean exit) {
    return new EmbeddedCassandraSettings(dataDir, host, cqlPort, storagePort, heapMegabytes,
        serverClasspath, startTimeout, stopTimeout, exit);
  }

  /**
   * {@code classpath} wins; else the build tree's {@code embedded-cassandra/target/cassandra.classpath}
   * plus the {@code classes/} beside it; else {@code lib-dir/*}.
   */
  private static String serverClasspath(Config c) {
    if (!c.getString("classpath").isBlank()) {
      return c.getString("classpath");
    }
    if (!c.getString("classpath-file").isBlank()) {
      Path file = Path.of(c.getString("classpath-file"));
      try {
        // the file lists the jars; the server's main class is compiled next to it, in classes/
        Path classes = file.toAbsolutePath().getParent().resolve("classes");
        return classes + java.io.File.pathSeparator + Files.readString(file).strip();
      } catch (IOException e) {
        throw new EmbeddedCassandraException(
            "Cannot read the Cassandra server classpath from " + file
                + " (built by `mvn -pl embedded-cassandra process-classes`): " + e.getMessage());
      }
    }
    if (!c.getString("lib-dir").isBlank()) {
      return Path.of(c.getString("lib-dir")).toAbsolutePath() + "/*";
    }
    return "";
  }
}
