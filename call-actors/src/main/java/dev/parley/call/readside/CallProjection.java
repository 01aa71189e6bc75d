package dev.parley.call.readside;

import java.util.List;
import java.util.stream.IntStream;

import org.apache.pekko.actor.typed.ActorSystem;

import dev.parley.call.CallEntity;
import dev.parley.persistence.projection.TaggedProjections;

/** One projection per call tag ({@link CallEntity#tagFor}), spread over the cluster. */
public final class CallProjection {

  static final String NAME = "calls";

  private CallProjection() {}

  public static void init(ActorSystem<?> system, CallRepository repository) {
    List<String> tags = IntStream.range(0, CallEntity.TAG_COUNT).mapToObj(i -> "call-" + i).toList();
    TaggedProjections.<CallEntity.Event>init(system, NAME, tags, () -> new CallProjectionHandler(repository));
  }
}
