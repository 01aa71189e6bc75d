package dev.parley.call.readside;

import java.util.Optional;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.AtLeastOnceProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;

import dev.parley.call.CallEntity;

/** One projection per call tag ({@link CallEntity#tagFor}), spread over the cluster as a sharded daemon process. */
public final class CallProjection {

  static final String NAME = "calls";

  private CallProjection() {}

  public static void init(ActorSystem<?> system, CallRepository repository) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        CallEntity.TAG_COUNT,
        index -> ProjectionBehavior.create(projection(system, repository, "call-" + index)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static AtLeastOnceProjection<Offset, EventEnvelope<CallEntity.Event>> projection(
      ActorSystem<?> system, CallRepository repository, String tag) {
    SourceProvider<Offset, EventEnvelope<CallEntity.Event>> events =
        EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag);
    return CassandraProjection.atLeastOnce(ProjectionId.of(NAME, tag), events,
        () -> new CallProjectionHandler(repository));
  }
}
