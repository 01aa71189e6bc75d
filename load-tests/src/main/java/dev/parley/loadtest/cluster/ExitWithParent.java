package dev.parley.loadtest.cluster;

import java.io.IOException;
import java.util.Arrays;

/**
 * Runs another main class in this JVM and halts the JVM when the process that started it dies:
 * the parent holds this process's stdin open, so end of input means the parent is gone (kill -9
 * included). A {@link LocalCluster} starts its nodes through this, so an interrupted test run
 * leaves no node JVMs behind.
 *
 * <p>Usage: {@code ExitWithParent MAIN_CLASS [ARGS...]}
 */
public final class ExitWithParent {

  private ExitWithParent() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    Thread watch = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent writes nothing; only the end of input matters
        }
      } catch (IOException e) {
        // a broken pipe is the parent's end too
      }
      System.err.println("ExitWithParent: the parent process is gone; halting");
      Runtime.getRuntime().halt(1);
    }, "exit-with-parent");
    watch.setDaemon(true);
    watch.start();
    Class.forName(args[0]).getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
