package dev.parley.persistence.cassandra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The file in the data directory that names the server running on it: its pid, ports and the pid
 * of the process that owns it. Lets a second start reuse a live server, and wait out one whose
 * owner died while it is still draining.
 */
record ServerRecord(long pid, long ownerPid, String host, int cqlPort, int storagePort) {

  static final String FILE_NAME = "server.properties";

  static Optional<ServerRecord> read(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
      return Optional.of(new ServerRecord(
          Long.parseLong(p.getProperty("pid")),
          Long.parseLong(p.getProperty("owner-pid")),
          p.getProperty("host"),
          Integer.parseInt(p.getProperty("cql-port")),
          Integer.parseInt(p.getProperty("storage-port"))));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  void write(Path dataDir) {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("owner-pid", Long.toString(ownerPid));
    p.setProperty("host", host);
    p.setProperty("cql-port", Integer.toString(cqlPort));
    p.setProperty("storage-port", Integer.toString(storagePort));
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    try (var out = Files.newOutputStream(tmp)) {
      p.store(out, "embedded Cassandra started by Parley");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dataDir, long pid) {
    read(dataDir).filter(r -> r.pid == pid).ifPresent(r -> {
      try {
        Files.deleteIfExists(dataDir.resolve(FILE_NAME));
      } catch (IOException ignored) {
        // a stale record is recognised by its dead pid on the next start
      }
    });
  }

  boolean serverAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
            .map(cmd -> cmd.contains(EmbeddedCassandra.SERVER_MARKER)).orElse(true);
  }

  boolean ownerAlive() {
    return ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false);
  }
}
