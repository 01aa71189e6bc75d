package dev.parley.persistence.cassandra.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the machine must offer before a server is started, each failure worded for a person. */
final class HostChecks {

  /** Heap plus off-heap, metaspace, thread stacks and the page cache Cassandra leans on. */
  static final int OVERHEAD_MEGABYTES = 300;

  private HostChecks() {}

  static void requireWritableDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new EmbeddedCassandraException(
          "Cassandra's data directory " + dir + " is not writable (" + e.getMessage() + "). "
              + "Fix its permissions or choose another with PARLEY_CASSANDRA_DATA_DIR.");
    }
  }

  static void requireFreePort(String host, int port, String what, String envVar) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new EmbeddedCassandraException(
          "Cassandra's " + what + " port " + host + ":" + port + " is already in use by another "
              + "process. Stop that process or choose another port with " + envVar + ".");
    }
  }

  static void requireMemory(int heapMegabytes) {
    OptionalLong available = availableMegabytes();
    long needed = (long) heapMegabytes + OVERHEAD_MEGABYTES;
    if (available.isPresent() && available.getAsLong() < needed) {
      throw new EmbeddedCassandraException(
          "Not enough free memory to start Cassandra: it needs about " + needed + " MiB ("
              + heapMegabytes + " MiB heap + " + OVERHEAD_MEGABYTES + " MiB overhead), and "
              + available.getAsLong() + " MiB are available. Free memory or lower "
              + "PARLEY_CASSANDRA_HEAP (e.g. 256m).");
    }
  }

  /** MemAvailable from /proc/meminfo; empty where the kernel does not tell. */
  static OptionalLong availableMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          long kb = Long.parseLong(line.replaceAll("\\D+", ""));
          return OptionalLong.of(kb / 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or an unusual kernel: skip the check rather than guess
    }
    return OptionalLong.empty();
  }

  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
