package dev.parley.node.call;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

import dev.parley.call.CallEntity;

/** A call's events as the journal in Cassandra holds them. */
final class CallJournal {

  private CallJournal() {}

  /** Blocking (test assertion). */
  static List<Object> events(ActorSystem<?> system, String callId) throws Exception {
    CassandraReadJournal journal = PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(CallEntity.ENTITY_KEY.name() + "|" + callId, 0, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .runWith(Sink.seq(), Materializer.matFromSystem(system))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
