package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An ask whose message was lost goes out again after one attempt's wait, not the whole timeout. */
class CallServiceAttemptsTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aLostMessageIsAskedAgainWithinTheTimeout() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    // drops its first message, as a region does that sends it to a dead node's region
    ActorRef<ActorRef<String>> losesTheFirst = testKit.spawn(Behaviors.receiveMessage(replyTo -> {
      if (seen.incrementAndGet() > 1) {
        replyTo.tell("answered");
      }
      return Behaviors.same();
    }));
    String answer = CallService.<String>inAttempts(attempt -> AskPattern.ask(losesTheFirst, replyTo -> replyTo, attempt,
        testKit.scheduler()), Duration.ofSeconds(30), Duration.ofMillis(200), testKit.system())
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals("answered", answer);
    assertEquals(2, seen.get());
  }

  @Test
  void noAnswerAtAllFailsOnceTheTimeoutHasPassed() {
    AtomicInteger seen = new AtomicInteger();
    ActorRef<ActorRef<String>> silent = testKit.spawn(Behaviors.receiveMessage(replyTo -> {
      seen.incrementAndGet();
      return Behaviors.same();
    }));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> CallService.<String>inAttempts(
        attempt -> AskPattern.ask(silent, replyTo -> replyTo, attempt, testKit.scheduler()),
        Duration.ofMillis(600), Duration.ofMillis(200), testKit.system()).toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertInstanceOf(java.util.concurrent.TimeoutException.class, failed.getCause());
    assertEquals(3, seen.get());
  }
}
