package dev.parley.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.testkit.TestCassandra;

/** The warm-up runs a recovery through the real Cassandra journal and snapshot plugins it names. */
class JournalWarmUpTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final String keyspace = TestCassandra.uniqueKeyspace("warmup");
  private ActorSystem<Void> system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      TestCassandra.dropKeyspace(system, keyspace);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDefaultAndTheUntaggedPluginsRecoverOnceAndTheWarmUpEnds() throws Exception {
    system = TestCassandra.startSystem(Behaviors.empty(), "warmup", TestCassandra.config(keyspace,
        ConfigFactory.empty()));
    assertEquals(Done.getInstance(), JournalWarmUp.run(system, "", "").toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(Done.getInstance(), JournalWarmUp.run(system, "parley.untagged-persistence.journal",
        "parley.untagged-persistence.snapshot").toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void aPluginThatCannotRecoverFailsTheWarmUp() throws Exception {
    // the untagged plugins read a keyspace that does not exist: the recovery's queries fail
    system = TestCassandra.startSystem(Behaviors.empty(), "warmup", TestCassandra.config(keyspace,
        ConfigFactory.parseString("parley.untagged-persistence.journal.keyspace = no_such_keyspace\n"
            + "parley.untagged-persistence.snapshot.keyspace = no_such_keyspace")));
    assertThrows(ExecutionException.class, () -> JournalWarmUp.run(system, "parley.untagged-persistence.journal",
        "parley.untagged-persistence.snapshot").toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }
}
