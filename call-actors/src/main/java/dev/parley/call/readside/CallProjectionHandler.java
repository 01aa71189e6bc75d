package dev.parley.call.readside;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

import dev.parley.call.CallEntity;

/**
 * Created writes the row; attached, ended and deleted change it; the conversation's events are not
 * in the list and are skipped. Events of one call share a tag, so one handler sees them in order.
 */
final class CallProjectionHandler extends Handler<EventEnvelope<CallEntity.Event>> {

  private static final CompletionStage<Done> SKIPPED = CompletableFuture.completedFuture(Done.getInstance());

  private final CallRepository repository;

  CallProjectionHandler(CallRepository repository) {
    this.repository = repository;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<CallEntity.Event> envelope) {
    // only the kinds of CallEntity.readSideEvent are tagged, so only they come here
    CallEntity.Event event = envelope.event();
    String callId = callIdOf(envelope.persistenceId());
    if (event instanceof CallEntity.CallCreated created) {
      return repository.save(CallSummary.created(created.call()));
    } else if (event instanceof CallEntity.TransportAttached attached) {
      return change(callId, summary -> summary.started(attached.at()));
    } else if (event instanceof CallEntity.CallEnded ended) {
      return change(callId, summary -> summary.ended(ended.endedReason(), ended.at()));
    } else if (event instanceof CallEntity.CallDeleted) {
      return repository.find(callId).thenCompose(found -> found.map(repository::delete).orElse(SKIPPED));
    }
    return SKIPPED;
  }

  private CompletionStage<Done> change(String callId, UnaryOperator<CallSummary> change) {
    return repository.find(callId).thenCompose(found -> found
        .map(summary -> {
          CallSummary changed = change.apply(summary);
          return changed.equals(summary) ? SKIPPED : repository.save(changed);
        })
        .orElse(SKIPPED));
  }

  /** "Call|&lt;id&gt;", as the entity's persistence id. */
  static String callIdOf(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }
}
