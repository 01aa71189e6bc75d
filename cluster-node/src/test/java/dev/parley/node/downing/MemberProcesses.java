package dev.parley.node.downing;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Cluster members in JVMs of their own, for tests that kill or pause a process, and waiting on them. */
final class MemberProcesses {

  private MemberProcesses() {}

  /** Starts {@code main} with the test's class path and a small heap; its output goes to a temporary file. */
  static Process start(Class<?> main, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    File log = File.createTempFile(main.getSimpleName(), ".log");
    log.deleteOnExit();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  static void awaitTrue(BooleanSupplier condition, Duration wait, String what) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within " + wait + ": " + what);
  }
}
