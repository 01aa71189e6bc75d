package dev.parley.persistence.projection;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;

/**
 * One at-least-once projection per event tag, spread over the cluster as a sharded daemon process;
 * events come from the Cassandra journal's events-by-tag, offsets are kept in Cassandra.
 */
public final class TaggedProjections {

  private TaggedProjections() {}

  public static <E> void init(ActorSystem<?> system, String name, List<String> tags,
      Supplier<Handler<EventEnvelope<E>>> handler) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        tags.size(),
        index -> {
          SourceProvider<Offset, EventEnvelope<E>> events =
              EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tags.get(index));
          return ProjectionBehavior.create(
              CassandraProjection.atLeastOnce(ProjectionId.of(name, tags.get(index)), events, handler::get));
        },
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
