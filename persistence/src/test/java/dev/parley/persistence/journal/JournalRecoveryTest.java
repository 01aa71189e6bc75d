package dev.parley.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.serialization.KryoSerializer;
import dev.parley.persistence.testkit.TestCassandra;

/**
 * Events of a sharded entity go to the real Cassandra journal through Kryo; a new actor system
 * recovers them, also after the event class was renamed.
 */
class JournalRecoveryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final String keyspace = TestCassandra.uniqueKeyspace("journal");
  private ActorSystem<Void> system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      TestCassandra.dropKeyspace(system, keyspace);
      terminate(system);
    }
  }

  private Config config(String eventClassForId) {
    String prefix = TallyEntity.class.getName() + "$";
    return TestCassandra.config(keyspace, ConfigFactory.parseString("""
        parley.serialization.kryo.classes {
          1900 = "%1$sAdd"
          1901 = "%1$sGet"
          1902 = "%2$s"
          1903 = "%1$sState"
        }
        # every message goes through serialization, as between nodes
        pekko.actor.serialize-messages = on
        """.formatted(prefix, eventClassForId)));
  }

  private ActorSystem<Void> start(String eventClassForId, java.util.function.IntFunction<TallyEntity.Event> newEvent) {
    ActorSystem<Void> started = TestCassandra.startSystem(Behaviors.empty(), "journal", config(eventClassForId));
    TallyEntity.init(started, newEvent);
    return started;
  }

  @Test
  void aNewActorSystemRecoversTheEntityFromTheJournalEvenAfterAClassRename() throws Exception {
    String before = TallyEntity.class.getName() + "$AddedBeforeRename";
    String after = TallyEntity.class.getName() + "$AddedAfterRename";

    system = start(before, TallyEntity.AddedBeforeRename::new);
    assertEquals(5, add(system, "t-1", 5));
    assertEquals(12, add(system, "t-1", 7));
    assertEquals(1, add(system, "t-2", 1));
    StatusReply<Integer> refused = ask(system, "t-1", 0);
    assertTrue(refused.isError(), "a refused command persists nothing");
    assertEquals(List.of("AddedBeforeRename", "AddedBeforeRename"), get(system, "t-1").eventClasses());
    assertEquals(2, eventCount(system, "Tally|t-1"), "exactly the accepted commands are in the journal");
    terminate(system);

    // After the rename the code only knows AddedAfterRename; id 1902 now names it.
    system = start(after, TallyEntity.AddedAfterRename::new);
    TallyEntity.State recovered = get(system, "t-1");
    assertEquals(12, recovered.total());
    assertEquals(List.of("AddedAfterRename", "AddedAfterRename"), recovered.eventClasses());
    assertEquals(1, get(system, "t-2").total());

    assertEquals(15, add(system, "t-1", 3));
    assertEquals(3, eventCount(system, "Tally|t-1"));
  }

  @Test
  void journalRowsAreWrittenByTheKryoSerializer() throws Exception {
    system = start(TallyEntity.class.getName() + "$AddedAfterRename", TallyEntity.AddedAfterRename::new);
    add(system, "k-1", 2);
    var rows = dev.parley.persistence.cassandra.CassandraSchema.session(system)
        .selectAll("SELECT ser_id, ser_manifest FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
            "Tally|k-1")
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1, rows.size());
    assertEquals(KryoSerializer.IDENTIFIER, rows.get(0).getInt("ser_id"));
    assertEquals("", rows.get(0).getString("ser_manifest"));
  }

  private static int add(ActorSystem<?> system, String id, int amount) throws Exception {
    return ask(system, id, amount).getValue();
  }

  private static StatusReply<Integer> ask(ActorSystem<?> system, String id, int amount) throws Exception {
    EntityRef<TallyEntity.Command> ref = ClusterSharding.get(system).entityRefFor(TallyEntity.ENTITY_KEY, id);
    return ref.<StatusReply<Integer>>ask(replyTo -> new TallyEntity.Add(amount, replyTo), TIMEOUT)
        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static TallyEntity.State get(ActorSystem<?> system, String id) throws Exception {
    EntityRef<TallyEntity.Command> ref = ClusterSharding.get(system).entityRefFor(TallyEntity.ENTITY_KEY, id);
    return ref.ask(TallyEntity.Get::new, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static long eventCount(ActorSystem<?> system, String persistenceId) throws Exception {
    CassandraReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS).size();
  }

  private static void terminate(ActorSystem<?> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

}
