package dev.parley.registry.resource;

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

/** One projection per resource tag, spread over the cluster as a sharded daemon process. */
public final class ResourceProjection {

  static final String NAME = "resources";

  private ResourceProjection() {}

  public static void init(ActorSystem<?> system, ResourceRepository repository) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        NAME,
        ResourceEntity.TAG_COUNT,
        index -> ProjectionBehavior.create(projection(system, repository, "resource-" + index)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static AtLeastOnceProjection<Offset, EventEnvelope<ResourceEntity.Event>> projection(
      ActorSystem<?> system, ResourceRepository repository, String tag) {
    SourceProvider<Offset, EventEnvelope<ResourceEntity.Event>> events =
        EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag);
    return CassandraProjection.atLeastOnce(ProjectionId.of(NAME, tag), events,
        () -> new ResourceProjectionHandler(repository));
  }
}
