package dev.parley.loadtest.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a local cluster ends its child JVMs: kill -9 really is SIGKILL (exit 137), a stop is SIGTERM
 * (143), a child whose parent is gone halts, and a manifest-only classpath jar is read back.
 */
class ChildProcessesTest {

  /** A child JVM that sleeps for a minute; it prints a line once it runs. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("sleeping");
      Thread.sleep(60_000);
    }
  }

  @Test
  void killIsSigkillAndStopIsSigterm() throws Exception {
    Process killed = child(false);
    Process stopped = child(false);

    assertEquals(Signals.KILLED, Signals.kill9(killed));
    assertEquals(Signals.TERMINATED, Signals.terminate(stopped, 30));
  }

  @Test
  void aChildHaltsWhenItsParentsEndOfTheStdinPipeCloses() throws Exception {
    Process child = child(true);
    assertEquals("sleeping", new String(child.getInputStream().readNBytes(8)));

    child.getOutputStream().close();

    assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child is still running");
    assertEquals(1, child.exitValue());
  }

  @Test
  void aManifestOnlyJarsClassPathIsReadBack(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("classes"));
    Path jar = dir.resolve("booter/surefirebooter.jar");
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.example.Booter");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "../classes/ file:/opt/lib/a%20b.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      // a manifest and nothing else
    }

    assertEquals(dir.resolve("classes") + File.pathSeparator + "/opt/lib/a b.jar", JavaClasspath.expand(jar.toString()));
    assertEquals("a.jar" + File.pathSeparator + "b.jar", JavaClasspath.expand("a.jar" + File.pathSeparator + "b.jar"));
  }

  private static Process child(boolean underExitWithParent) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = underExitWithParent
        ? List.of(java, "-cp", System.getProperty("java.class.path"), ExitWithParent.class.getName(), Sleeper.class.getName())
        : List.of(java, "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertFalse(process.waitFor(300, TimeUnit.MILLISECONDS), "the child exited at once");
    return process;
  }
}
