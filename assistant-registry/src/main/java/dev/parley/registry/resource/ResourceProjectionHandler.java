package dev.parley.registry.resource;

import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/** Created and Updated write the row, Deleted removes it. */
final class ResourceProjectionHandler extends Handler<EventEnvelope<ResourceEntity.Event>> {

  private final ResourceRepository repository;

  ResourceProjectionHandler(ResourceRepository repository) {
    this.repository = repository;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<ResourceEntity.Event> envelope) {
    ResourceEntity.Event event = envelope.event();
    if (event instanceof ResourceEntity.Deleted deleted) {
      return repository.delete(deleted.resource());
    }
    return repository.upsert(event.resource());
  }
}
