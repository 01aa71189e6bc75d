package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Only the events the call read model is made of are tagged; a conversation's are not. */
class CallEventTagsTest {

  private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void theReadModelsEventsAreTagged() {
    assertTrue(CallEntity.readSideEvent(new CallEntity.CallCreated(null)));
    assertTrue(CallEntity.readSideEvent(new CallEntity.TransportAttached("c-1", AT)));
    assertTrue(CallEntity.readSideEvent(new CallEntity.CallEnded("customer-ended-call", AT)));
    assertTrue(CallEntity.readSideEvent(new CallEntity.CallDeleted(AT)));
  }

  @Test
  void theConversationsEventsAreNot() {
    assertFalse(CallEntity.readSideEvent(new CallEntity.UserSpoke("hello", AT, AT)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.AssistantSpoke("Hi there.", "Hi", true, AT, AT, "model", null)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.SystemPrompted("You answer weather questions.", AT)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.ToolCalled("t-1", "endCall", "{}", AT)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.ToolResultRecorded("t-1", "endCall", "done", AT)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.TransportDetached("c-1", "closed", AT)));
    assertFalse(CallEntity.readSideEvent(new CallEntity.CallResumed("c-2", AT, AT, "call lost")));
  }
}
