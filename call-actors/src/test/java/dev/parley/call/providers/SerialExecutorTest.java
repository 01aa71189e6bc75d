package dev.parley.call.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void tasksRunOneAtATimeInTheOrderGivenEvenWhenOneFails() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    SerialExecutor serial = new SerialExecutor(pool);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Integer> order = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      int task = i;
      serial.execute(() -> {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        order.add(task);
        running.decrementAndGet();
        done.countDown();
        if (task == 50) {
          throw new IllegalStateException("a failing task does not stop the queue");
        }
      });
    }
    done.await(30, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(1, mostAtOnce.get());
    assertEquals(200, order.size());
    for (int i = 0; i < 200; i++) {
      assertEquals(i, order.get(i));
    }
  }
}
