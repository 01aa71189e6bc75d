package dev.parley.loadtest.cluster;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Ending a child process the way a machine or an orchestrator does. On Linux the JDK sends SIGKILL
 * for {@link Process#destroyForcibly()} and SIGTERM for {@link ProcessHandle#destroy()}, and reports a
 * process ended by signal n as exit value 128 + n; both are checked, and {@code kill -9} is the
 * fallback when the JDK did not kill.
 */
final class Signals {

  static final int KILLED = 128 + 9;
  static final int TERMINATED = 128 + 15;

  private Signals() {}

  /** SIGKILL; returns the exit value (137) once the process is gone. */
  static int kill9(Process process) throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      killCommand(process.pid());
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 40 s");
    }
    return process.exitValue();
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code graceSeconds}; returns the exit value. */
  static int terminate(Process process, long graceSeconds) throws InterruptedException {
    // Process.destroy() also closes our end of the child's stdin, and a node under ExitWithParent
    // takes that end of input for its parent's death and halts at once, before its coordinated
    // shutdown runs: the handle sends the signal alone.
    process.toHandle().destroy();
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      return kill9(process);
    }
    return process.exitValue();
  }

  private static void killCommand(long pid) throws InterruptedException {
    try {
      new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -9 " + pid + ": " + e.getMessage(), e);
    }
  }
}
