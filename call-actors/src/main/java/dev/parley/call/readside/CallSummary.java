package dev.parley.call.readside;

import java.time.Instant;

import dev.parley.call.CallRecord;
import dev.parley.call.CallState;
import dev.parley.call.CallStatus;

/**
 * One row of the call list: what the call was created with and where it is now, without its
 * conversation. A status never goes back (queued, in-progress, ended), so replayed events do no harm.
 */
public record CallSummary(
    CallRecord call,
    CallStatus status,
    Instant startedAt,
    Instant endedAt,
    String endedReason) {

  public static CallSummary created(CallRecord call) {
    return new CallSummary(call, CallStatus.QUEUED, null, null, null);
  }

  /** The first connection starts the call; later ones change nothing here. */
  public CallSummary started(Instant at) {
    if (startedAt != null || status == CallStatus.ENDED) {
      return this;
    }
    return new CallSummary(call, CallStatus.IN_PROGRESS, at, endedAt, endedReason);
  }

  public CallSummary ended(String reason, Instant at) {
    if (status == CallStatus.ENDED) {
      return this;
    }
    return new CallSummary(call, CallStatus.ENDED, startedAt, at, reason);
  }

  /** The time of the last status change, as {@link CallState#updatedAt()}. */
  public Instant updatedAt() {
    return CallState.latest(call.createdAt(), startedAt, endedAt);
  }
}
