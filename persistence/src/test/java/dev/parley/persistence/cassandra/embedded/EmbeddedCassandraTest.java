package dev.parley.persistence.cassandra.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.CqlSession;

import dev.parley.persistence.testkit.TestCassandra;

class EmbeddedCassandraTest {

  private final List<Path> dirs = new ArrayList<>();

  private Path newDir(String name) {
    Path dir = TestCassandra.newDataDir(name);
    dirs.add(dir);
    return dir;
  }

  @AfterEach
  void cleanUp() {
    dirs.forEach(TestCassandra::deleteRecursively);
  }

  private static String releaseVersion(EmbeddedCassandra server) {
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(server.contactPoint())
        .withLocalDatacenter("datacenter1")
        .build()) {
      return session.execute("SELECT release_version FROM system.local").one().getString(0);
    }
  }

  @Test
  void startsARealServerReusesItAndStopsOnlyWhatItStarted() {
    EmbeddedCassandraSettings settings = TestCassandra.settings(newDir("reuse"));
    EmbeddedCassandra first = EmbeddedCassandra.start(settings);
    try {
      assertTrue(first.ownsServer());
      assertTrue(releaseVersion(first).startsWith("5.0."), releaseVersion(first));
      assertTrue(Files.exists(settings.dataDir().resolve(ServerRecord.FILE_NAME)));

      // A second start on the same directory, even asking for other ports, reuses the running server.
      EmbeddedCassandra second = EmbeddedCassandra.start(
          settings.withPorts(TestCassandra.freePort(), TestCassandra.freePort()));
      assertFalse(second.ownsServer());
      assertEquals(first.pid(), second.pid());
      assertEquals(first.contactPoint(), second.contactPoint());
      second.close();
      assertTrue(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false),
          "closing a reused handle must not stop the server");
      assertTrue(releaseVersion(second).startsWith("5.0."));
    } finally {
      first.close();
    }
    assertFalse(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(Files.exists(settings.dataDir().resolve(ServerRecord.FILE_NAME)));
  }

  @Test
  void aTakenPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      EmbeddedCassandraSettings settings = TestCassandra.settings(newDir("port"))
          .withPorts(taken.getLocalPort(), TestCassandra.freePort());
      EmbeddedCassandraException e =
          assertThrows(EmbeddedCassandraException.class, () -> EmbeddedCassandra.start(settings));
      assertTrue(e.getMessage().contains("CQL port 127.0.0.1:" + taken.getLocalPort() + " is already in use"),
          e.getMessage());
      assertTrue(e.getMessage().contains("PARLEY_CASSANDRA_PORT"), e.getMessage());
    }
  }

  @Test
  void anUnwritableDataDirectoryIsNamedInTheError() throws Exception {
    Path file = Files.writeString(newDir("unwritable").resolve("a-file"), "not a directory");
    EmbeddedCassandraSettings settings = TestCassandra.settings(file.resolve("cassandra"));
    EmbeddedCassandraException e =
        assertThrows(EmbeddedCassandraException.class, () -> EmbeddedCassandra.start(settings));
    assertTrue(e.getMessage().contains(file.resolve("cassandra") + " is not writable"), e.getMessage());
  }

  @Test
  void tooLittleMemoryIsExplainedBeforeAnythingStarts() {
    EmbeddedCassandraSettings settings =
        TestCassandra.settings(newDir("memory")).withHeapMegabytes(64 * 1024 * 1024);
    EmbeddedCassandraException e =
        assertThrows(EmbeddedCassandraException.class, () -> EmbeddedCassandra.start(settings));
    assertTrue(e.getMessage().startsWith("Not enough free memory to start Cassandra"), e.getMessage());
    assertTrue(e.getMessage().contains("PARLEY_CASSANDRA_HEAP"), e.getMessage());
  }

  @Test
  void theServerDiesWithItsKilledOwnerAndTheNextStartIsClean() throws Exception {
    Path dir = newDir("orphan");
    int cql = TestCassandra.freePort();
    int storage = TestCassandra.freePort();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process owner = new ProcessBuilder(java.toString(),
        "-Dparley.cassandra.embedded.classpath-file="
            + System.getProperty("parley.cassandra.embedded.classpath-file"),
        "-cp", System.getProperty("java.class.path"),
        OwnerProcess.class.getName(), dir.toString(), Integer.toString(cql), Integer.toString(storage))
        .redirectErrorStream(true)
        .start();
    long cassandraPid = readCassandraPid(owner);
    assertNotEquals(owner.pid(), cassandraPid);

    owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no shutdown hook runs
    boolean exited = ProcessHandle.of(cassandraPid)
        .map(h -> h.onExit().completeOnTimeout(null, 90, TimeUnit.SECONDS).join() != null)
        .orElse(true);
    assertTrue(exited, "Cassandra outlived its killed owner");

    try (EmbeddedCassandra again = EmbeddedCassandra.start(TestCassandra.settings(dir).withPorts(cql, storage))) {
      assertTrue(again.ownsServer());
      assertNotEquals(cassandraPid, again.pid());
      assertTrue(releaseVersion(again).startsWith("5.0."));
    }
  }

  private static long readCassandraPid(Process owner) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("CASSANDRA_PID=")) {
        return Long.parseLong(line.substring("CASSANDRA_PID=".length()).strip());
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the owner process exited before starting Cassandra:\n" + seen);
  }
}
