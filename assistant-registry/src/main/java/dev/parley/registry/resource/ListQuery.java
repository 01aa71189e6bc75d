package dev.parley.registry.resource;

import java.time.Instant;
import java.util.Optional;

/** Vapi's list parameters: at most {@code limit} resources, newest first, within the time bounds. */
public record ListQuery(
    int limit,
    Optional<Instant> createdAtGt, Optional<Instant> createdAtLt,
    Optional<Instant> createdAtGe, Optional<Instant> createdAtLe,
    Optional<Instant> updatedAtGt, Optional<Instant> updatedAtLt,
    Optional<Instant> updatedAtGe, Optional<Instant> updatedAtLe) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public static ListQuery all() {
    return new ListQuery(DEFAULT_LIMIT, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean matchesUpdatedAt(Instant updatedAt) {
    return updatedAtGt.map(updatedAt::isAfter).orElse(true)
        && updatedAtLt.map(updatedAt::isBefore).orElse(true)
        && updatedAtGe.map(t -> !updatedAt.isBefore(t)).orElse(true)
        && updatedAtLe.map(t -> !updatedAt.isAfter(t)).orElse(true);
  }

  public boolean filtersUpdatedAt() {
    return updatedAtGt.isPresent() || updatedAtLt.isPresent() || updatedAtGe.isPresent() || updatedAtLe.isPresent();
  }
}
