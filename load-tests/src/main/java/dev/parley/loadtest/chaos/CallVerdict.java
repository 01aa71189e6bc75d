package dev.parley.loadtest.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.loadtest.loopback.TurnTags;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.SocketReconnect;

/**
 * One call checked: its journal ({@code GET /call/{id}}: status, endedReason, messages) against what
 * its caller said and heard. The caller's turns are tagged, so the journal's user messages name
 * them ("turn 7") and the loopback model's replies name the turn and how many turns it had in
 * context ({@link TurnTags}).
 *
 * @param eventsLost turns the caller was answered on (a reply naming the turn) that the journal does
 *     not hold
 * @param heardNotKept turns the caller got a final transcript of, without a reply, that the journal
 *     does not hold (the platform heard them, then lost them or never took the turn)
 * @param eventsDuplicated tagged user messages or replies the journal holds more than once
 * @param outOfOrder user turns in the journal after a later turn
 * @param contextMismatches replies whose model context did not hold exactly the journal's earlier turns
 * @param untagged user messages without a turn tag (the loopback transcriber could not hear one)
 * @param unexpected turn tags in the journal the caller never spoke
 * @param trace the journal's and the caller's turns in a line, for the report's details
 */
record CallVerdict(String callId, Outcome outcome, boolean interrupted, int reconnects, String status,
    String endedReason, int spokenTurns, int answeredTurns, int eventsLost, int heardNotKept, int eventsDuplicated,
    int outOfOrder, int contextMismatches, int untagged, int unexpected, String failure, String trace) {

  enum Outcome { COMPLETED, ENDED_WITH_REASON, LOST, NOT_STARTED }

  static final String CALLER_HUNG_UP = "customer-ended-call";

  /** Completed after at least one interruption (its node was killed) or socket reconnect. */
  boolean resumed() {
    return outcome == Outcome.COMPLETED && (interrupted || reconnects > 0);
  }

  /** Checks {@code call} against its journal ({@code null} when it could not be read). */
  static CallVerdict of(ChaosCall call, JsonNode journal, boolean interrupted) {
    if (call.callId() == null) {
      return new CallVerdict(null, Outcome.NOT_STARTED, false, 0, "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, call.failure(), "");
    }
    RobotCaller robot = call.robot();
    return of(call, robot == null ? List.of() : robot.messages("transcript"),
        robot == null ? List.of() : robot.reconnects(), journal, interrupted);
  }

  /** Checks a call from the transcript messages its caller received and its socket's reconnects. */
  static CallVerdict of(ChaosCall call, List<ReceivedMessage> transcripts, List<SocketReconnect> reconnectList,
      JsonNode journal, boolean interrupted) {
    String status = journal == null ? "unreadable" : journal.path("status").asText("");
    String endedReason = journal == null ? "" : journal.path("endedReason").asText("");
    boolean ended = status.equals("ended") && !endedReason.isBlank();
    Outcome outcome = ended && call.completed() && endedReason.equals(CALLER_HUNG_UP) ? Outcome.COMPLETED
        : ended ? Outcome.ENDED_WITH_REASON : Outcome.LOST;
    Set<Integer> transcribed = new LinkedHashSet<>();
    Set<Integer> answered = new LinkedHashSet<>();
    for (ReceivedMessage message : transcripts) {
      JsonNode json = message.json();
      if (!json.path("transcriptType").asText().equals("final")) {
        continue;
      }
      String text = json.path("transcript").asText("");
      if (json.path("role").asText().equals("user")) {
        TurnTags.parse(text).ifPresent(transcribed::add);
      } else {
        TurnTags.parseReply(text).ifPresent(reply -> answered.add(reply.tag()));
      }
    }
    Journal read = Journal.read(journal);
    int lost = (int) answered.stream().filter(tag -> !read.userTags.contains(tag)).count();
    int heardNotKept = (int) transcribed.stream()
        .filter(tag -> !answered.contains(tag) && !read.userTags.contains(tag)).count();
    int unexpected = (int) read.userTags.stream().filter(tag -> !call.spokenTags().contains(tag)).distinct().count();
    String trace = "journal " + read.lines + "; caller spoke " + call.spokenTags() + ", got transcripts of "
        + transcribed + ", replies to " + answered
        + ", reconnects " + reconnectList.stream()
            .map(r -> r.reopened() ? String.format("%.0f ms", r.gapMillis()) : r.outcome()).toList();
    return new CallVerdict(call.callId(), outcome, interrupted, reconnectList.size(), status, endedReason,
        call.spokenTags().size(), answered.size(), lost, heardNotKept, read.duplicated, read.outOfOrder(),
        read.contextMismatches,
        read.untagged, unexpected, call.failure(), trace);
  }

  /** The journal's conversation, read for tags. */
  private static final class Journal {
    final List<Integer> userTags = new ArrayList<>();
    /** u7 for user turn 7, r7/6 for a reply to turn 7 with 6 turns before it, u? and r? untagged. */
    final List<String> lines = new ArrayList<>();
    int untagged;
    int duplicated;
    int contextMismatches;

    static Journal read(JsonNode journal) {
      Journal read = new Journal();
      if (journal == null) {
        return read;
      }
      Map<String, Integer> seen = new HashMap<>();
      int users = 0;
      Integer lastUserTag = null;
      for (JsonNode message : journal.path("messages")) {
        String role = message.path("role").asText();
        String text = message.path("message").asText("");
        if (!role.equals("user") && !role.equals("bot")) {
          continue;
        }
        // only tagged lines name one event; untagged lines (the fixed transcript and reply) repeat by
        // design. One spoken turn the voice detector split in two (a failover's gap in the middle of
        // it) is two utterances with the same tag at different times: an event written twice has
        // the same time too.
        boolean tagged = role.equals("user") ? TurnTags.parse(text).isPresent() : TurnTags.parseReply(text).isPresent();
        String event = role + ": " + text + " at " + message.path("time").asText();
        if (tagged && seen.merge(event, 1, Integer::sum) > 1) {
          read.duplicated++;
        }
        if (role.equals("user")) {
          users++;
          OptionalInt tag = TurnTags.parse(text);
          lastUserTag = tag.isPresent() ? tag.getAsInt() : null;
          if (tag.isPresent()) {
            read.userTags.add(tag.getAsInt());
          } else {
            read.untagged++;
          }
          read.lines.add(tag.isPresent() ? "u" + tag.getAsInt() : "u?");
        } else {
          int before = users;
          Integer last = lastUserTag;
          var parsed = TurnTags.parseReply(text);
          parsed.ifPresent(reply -> {
            if (reply.earlierTurns() != before - 1 || last == null || reply.tag() != last) {
              read.contextMismatches++;
            }
          });
          read.lines.add(parsed.map(r -> "r" + r.tag() + "/" + r.earlierTurns()).orElse("r?"));
        }
      }
      return read;
    }

    int outOfOrder() {
      int count = 0;
      int highest = Integer.MIN_VALUE;
      for (int tag : userTags) {
        if (tag < highest) {
          count++;
        }
        highest = Math.max(highest, tag);
      }
      return count;
    }
  }
}
