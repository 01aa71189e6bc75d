package dev.parley.call.readside;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;

/** The call list's storage: written by {@link CallProjectionHandler}, read by {@code GET /call}. */
public interface CallRepository {

  /** Writes the whole row; idempotent. */
  CompletionStage<Done> save(CallSummary summary);

  /** The row of a call, empty when it was never listed or was deleted. */
  CompletionStage<Optional<CallSummary>> find(String callId);

  CompletionStage<Done> delete(CallSummary summary);

  /** An org's calls, newest first, at most {@code query.window().limit()}. */
  CompletionStage<List<CallSummary>> list(String orgId, CallListQuery query);
}
