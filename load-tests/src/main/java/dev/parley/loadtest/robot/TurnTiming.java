package dev.parley.loadtest.robot;

import java.util.OptionalDouble;

/**
 * A caller turn and the assistant's answer to it: voice-to-voice latency is the time from the turn's
 * last speech frame sent to the first assistant audio frame received after it (empty: no answer).
 */
public record TurnTiming(SpokenTurn turn, long firstReplyFrameNanos) {

  public boolean answered() {
    return firstReplyFrameNanos != 0;
  }

  public OptionalDouble voiceToVoiceMillis() {
    return answered()
        ? OptionalDouble.of((firstReplyFrameNanos - turn.lastFrameNanos()) / 1e6)
        : OptionalDouble.empty();
  }
}
