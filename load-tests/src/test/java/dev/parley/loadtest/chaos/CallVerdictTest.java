package dev.parley.loadtest.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.loadtest.loopback.TurnTags;
import dev.parley.loadtest.robot.CloseStatus;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.SocketReconnect;

/** The checker's verdict on one call: outcomes, lost, duplicated and misordered events, lost context. */
class CallVerdictTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ChaosCall SPOKE_THREE = new ChaosCall("c1", null, List.of(0, 1, 2), true, null);

  @Test
  void aCleanCallIsCompletedWithNothingLost() {
    CallVerdict verdict = CallVerdict.of(SPOKE_THREE, heard(0, 1, 2), List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0", "u1", "r1/1", "u2", "r2/2"), false);

    assertEquals(CallVerdict.Outcome.COMPLETED, verdict.outcome());
    assertEquals(List.of(0, 0, 0, 0, 0), counts(verdict));
    assertEquals(3, verdict.answeredTurns());
    assertFalse(verdict.resumed());
  }

  @Test
  void aTurnTheCallerWasAnsweredOnButTheJournalLacksIsALostEvent() {
    CallVerdict verdict = CallVerdict.of(SPOKE_THREE, heard(0, 1, 2), List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0", "u2", "r2/1"), false);

    assertEquals(1, verdict.eventsLost());
    assertEquals(0, verdict.heardNotKept());
    assertTrue(verdict.trace().contains("journal [r?, u0, r0/0, u2, r2/1]"), verdict.trace());
  }

  @Test
  void aTurnOnlyTranscribedToTheCallerAndMissingIsHeardNotKeptNotLost() {
    List<ReceivedMessage> messages = new ArrayList<>(heard(0, 1));
    messages.add(transcript("user", TurnTags.transcript(2)));
    CallVerdict verdict = CallVerdict.of(SPOKE_THREE, messages, List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0", "u1", "r1/1"), false);

    assertEquals(0, verdict.eventsLost());
    assertEquals(1, verdict.heardNotKept());
    assertEquals(2, verdict.answeredTurns());
  }

  @Test
  void aTurnOrReplyKeptTwiceIsDuplicatedAndALaterTurnFirstIsOutOfOrder() {
    CallVerdict twice = CallVerdict.of(SPOKE_THREE, heard(0, 1), List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0", "u0", "u1", "r1/2", "r1/2"), false);
    CallVerdict swapped = CallVerdict.of(SPOKE_THREE, heard(0, 1), List.of(),
        journal("ended", "customer-ended-call", "u1", "r1/0", "u0", "r0/1"), false);

    assertEquals(2, twice.eventsDuplicated());
    assertEquals(0, twice.contextMismatches());
    assertEquals(1, swapped.outOfOrder());
  }

  @Test
  void oneTurnSplitInTwoUtterancesIsNotADuplicate() {
    CallVerdict split = CallVerdict.of(SPOKE_THREE, heard(0, 1), List.of(),
        journal("ended", "customer-ended-call", "u0@1000", "r0/0", "u0@2500", "r0/1"), false);

    assertEquals(0, split.eventsDuplicated());
  }

  @Test
  void aReplyWhoseContextLackedEarlierTurnsIsAMismatch() {
    CallVerdict verdict = CallVerdict.of(SPOKE_THREE, heard(0, 1, 2), List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0", "u1", "r1/1", "u2", "r2/0"), false);

    assertEquals(1, verdict.contextMismatches());
  }

  @Test
  void anEndedCallWithAnotherReasonIsEndedWithAReasonAndOneWithoutIsLost() {
    CallVerdict timedOut = CallVerdict.of(SPOKE_THREE, heard(0), List.of(),
        journal("ended", "silence-timed-out", "u0", "r0/0"), true);
    CallVerdict stuck = CallVerdict.of(SPOKE_THREE, heard(0), List.of(), journal("in-progress", "", "u0", "r0/0"), true);
    CallVerdict unreadable = CallVerdict.of(SPOKE_THREE, heard(0), List.of(), null, true);
    ChaosCall notCompleted = new ChaosCall("c2", null, List.of(0), false, "socket closed");
    CallVerdict hungUpButFailed = CallVerdict.of(notCompleted, heard(0), List.of(),
        journal("ended", "customer-ended-call", "u0", "r0/0"), false);

    assertEquals(CallVerdict.Outcome.ENDED_WITH_REASON, timedOut.outcome());
    assertEquals(CallVerdict.Outcome.LOST, stuck.outcome());
    assertEquals(CallVerdict.Outcome.LOST, unreadable.outcome());
    assertEquals(1, unreadable.eventsLost(), "the answered turn is nowhere");
    assertEquals(CallVerdict.Outcome.ENDED_WITH_REASON, hungUpButFailed.outcome());
  }

  @Test
  void aCompletedCallThatWasInterruptedOrReconnectedResumed() {
    SocketReconnect reconnect = new SocketReconnect(1, new CloseStatus(1, CloseStatus.FAILED, "reset"), 2_000_001,
        null, 1, "reconnected");
    JsonNode journal = journal("ended", "customer-ended-call", "u0", "r0/0");

    assertTrue(CallVerdict.of(SPOKE_THREE, heard(0), List.of(), journal, true).resumed());
    assertTrue(CallVerdict.of(SPOKE_THREE, heard(0), List.of(reconnect), journal, false).resumed());
  }

  /** Final user transcripts and tagged replies for each turn, as the caller received them. */
  private static List<ReceivedMessage> heard(int... tags) {
    List<ReceivedMessage> messages = new ArrayList<>();
    for (int i = 0; i < tags.length; i++) {
      messages.add(transcript("user", TurnTags.transcript(tags[i])));
      messages.add(transcript("assistant", TurnTags.reply(tags[i], i)));
    }
    return messages;
  }

  private static ReceivedMessage transcript(String role, String text) {
    return new ReceivedMessage(System.nanoTime(), JSON.createObjectNode().put("type", "transcript").put("role", role)
        .put("transcriptType", "final").put("transcript", text));
  }

  /** A GET /call/{id} body: "u3" is user turn 3, "r3/2" the reply to it with 2 earlier turns; a first message leads. */
  private static JsonNode journal(String status, String endedReason, String... lines) {
    ObjectNode call = JSON.createObjectNode().put("id", "c1").put("status", status);
    if (!endedReason.isEmpty()) {
      call.put("endedReason", endedReason);
    }
    ArrayNode messages = call.putArray("messages");
    messages.addObject().put("role", "system").put("message", "prompt");
    messages.addObject().put("role", "bot").put("message", "Hello.");
    for (String entry : lines) {
      // "u3@1500": user turn 3 at time 1500 (no time: all such lines share one)
      String line = entry.contains("@") ? entry.substring(0, entry.indexOf('@')) : entry;
      if (line.startsWith("u")) {
        ObjectNode user = messages.addObject().put("role", "user")
            .put("message", TurnTags.transcript(Integer.parseInt(line.substring(1))));
        if (entry.contains("@")) {
          user.put("time", Long.parseLong(entry.substring(entry.indexOf('@') + 1)));
        }
      } else {
        String[] parts = line.substring(1).split("/");
        messages.addObject().put("role", "bot")
            .put("message", TurnTags.reply(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
      }
    }
    return call;
  }

  private static List<Integer> counts(CallVerdict v) {
    return List.of(v.eventsLost(), v.eventsDuplicated(), v.outOfOrder(), v.contextMismatches(), v.unexpected());
  }
}
