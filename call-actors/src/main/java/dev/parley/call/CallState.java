package dev.parley.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.parley.persistence.serialization.ClusterSerializable;

/**
 * Everything a call's events say: its record, status, timestamps, the conversation. Immutable;
 * {@link #apply} is the one event handler.
 */
public record CallState(
    CallRecord call,
    CallStatus status,
    Instant startedAt,
    Instant endedAt,
    String endedReason,
    List<CallMessage> messages,
    int transportsAttached,
    boolean deleted) implements ClusterSerializable {

  public static final CallState EMPTY = new CallState(null, null, null, null, null, List.of(), 0, false);

  public boolean exists() {
    return call != null && !deleted;
  }

  public boolean visibleTo(String orgId) {
    return exists() && call.orgId().equals(orgId);
  }

  public boolean ended() {
    return status == CallStatus.ENDED;
  }

  /** The time of the last status change: created, started or ended. */
  public Instant updatedAt() {
    return latest(call.createdAt(), startedAt, endedAt);
  }

  /** The latest of the three; {@code startedAt} and {@code endedAt} may be null. */
  public static Instant latest(Instant createdAt, Instant startedAt, Instant endedAt) {
    Instant latest = createdAt;
    if (startedAt != null && startedAt.isAfter(latest)) {
      latest = startedAt;
    }
    if (endedAt != null && endedAt.isAfter(latest)) {
      latest = endedAt;
    }
    return latest;
  }

  public CallState apply(CallEntity.Event event) {
    if (event instanceof CallEntity.CallCreated e) {
      return new CallState(e.call(), CallStatus.QUEUED, null, null, null, List.of(), 0, false);
    } else if (event instanceof CallEntity.TransportAttached e) {
      return new CallState(call, CallStatus.IN_PROGRESS, startedAt == null ? e.at() : startedAt, endedAt,
          endedReason, messages, transportsAttached + 1, deleted);
    } else if (event instanceof CallEntity.SystemPrompted e) {
      return with(new CallMessage.System(e.message(), e.at()));
    } else if (event instanceof CallEntity.UserSpoke e) {
      return with(new CallMessage.User(e.text(), e.startedAt(), e.endedAt()));
    } else if (event instanceof CallEntity.AssistantSpoke e) {
      return with(new CallMessage.Bot(e.heardText(), e.fullText(), e.interrupted(), e.startedAt(), e.endedAt(),
          e.source(), e.latency()));
    } else if (event instanceof CallEntity.ToolCalled e) {
      return with(new CallMessage.ToolCall(e.toolCallId(), e.name(), e.arguments(), e.at()));
    } else if (event instanceof CallEntity.ToolResultRecorded e) {
      return with(new CallMessage.ToolResult(e.toolCallId(), e.name(), e.result(), e.at()));
    } else if (event instanceof CallEntity.CallEnded e) {
      return new CallState(call, CallStatus.ENDED, startedAt, e.at(), e.endedReason(), messages,
          transportsAttached, deleted);
    } else if (event instanceof CallEntity.CallDeleted) {
      return new CallState(call, status, startedAt, endedAt, endedReason, messages, transportsAttached, true);
    }
    return this; // TransportDetached changes nothing a reader sees
  }

  private CallState with(CallMessage message) {
    List<CallMessage> more = new ArrayList<>(messages);
    more.add(message);
    return new CallState(call, status, startedAt, endedAt, endedReason, List.copyOf(more), transportsAttached, deleted);
  }
}
