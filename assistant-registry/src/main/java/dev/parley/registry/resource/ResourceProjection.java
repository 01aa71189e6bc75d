package dev.parley.registry.resource;

import java.util.List;
import java.util.stream.IntStream;

import org.apache.pekko.actor.typed.ActorSystem;

import dev.parley.persistence.projection.TaggedProjections;

/** One projection per resource tag, spread over the cluster as a sharded daemon process. */
public final class ResourceProjection {

  static final String NAME = "resources";

  private ResourceProjection() {}

  public static void init(ActorSystem<?> system, ResourceRepository repository) {
    List<String> tags = IntStream.range(0, ResourceEntity.TAG_COUNT).mapToObj(i -> "resource-" + i).toList();
    TaggedProjections.<ResourceEntity.Event>init(system, NAME, tags, () -> new ResourceProjectionHandler(repository));
  }
}
