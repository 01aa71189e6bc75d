package dev.parley.call.providers;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on another executor: for native code that must not run
 * concurrently, without parking a thread of a shared dispatcher on a lock while another task runs.
 */
public final class SerialExecutor implements Executor {

  private final Executor executor;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    executor.execute(this::runNext);
  }

  private void runNext() {
    Runnable task;
    synchronized (this) {
      task = tasks.poll();
      if (task == null) {
        running = false;
        return;
      }
    }
    try {
      task.run();
    } finally {
      executor.execute(this::runNext);
    }
  }
}
