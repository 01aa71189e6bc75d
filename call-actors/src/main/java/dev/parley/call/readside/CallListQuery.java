package dev.parley.call.readside;

import java.util.Optional;

import dev.parley.registry.resource.ListQuery;

/** {@code GET /call}: Vapi's time window and limit, plus its {@code id} and {@code assistantId} filters. */
public record CallListQuery(ListQuery window, Optional<String> id, Optional<String> assistantId) {

  boolean matches(CallSummary summary) {
    return id.map(summary.call().id()::equals).orElse(true)
        && assistantId.map(a -> a.equals(summary.call().assistantId())).orElse(true)
        && window.matchesUpdatedAt(summary.updatedAt());
  }

  /** Filters applied after reading, so the read cannot stop at {@code limit} rows. */
  boolean filtersAfterRead() {
    return id.isPresent() || assistantId.isPresent() || window.filtersUpdatedAt();
  }
}
