package dev.parley.loadtest.robot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A caller's part of a conversation written down ahead, then played on a {@link RobotCaller}:
 *
 * <pre>{@code
 * CallScript.create()
 *     .awaitReply()                                   // the first message
 *     .say(voice.pcm("What is the weather today?"))   // speak, wait for the reply to finish
 *     .pause(Duration.ofSeconds(1))                   // silence, as a phone sends it
 *     .bargeIn(voice.pcm("Stop."), Duration.ofMillis(500))
 *     .endCall()
 *     .run(robot);
 * }</pre>
 *
 * Each step waits with the robot's timeout, so a script never hangs.
 */
public final class CallScript {

  private final List<Consumer<RobotCaller>> steps = new ArrayList<>();

  private CallScript() {}

  public static CallScript create() {
    return new CallScript();
  }

  /** Waits for the current reply (the first message, or the reply to the last turn) to finish. */
  public CallScript awaitReply() {
    return step(RobotCaller::awaitReplyFinished);
  }

  /** Speaks a turn and waits for the assistant's reply to it to finish. */
  public CallScript say(byte[] pcm16k) {
    return step(robot -> robot.sayAndAwaitReply(pcm16k));
  }

  /** Speaks one turn with a pause inside it, then waits for the reply to finish. */
  public CallScript say(byte[] first, Duration pause, byte[] second) {
    return step(robot -> {
      robot.say(first, pause, second);
      robot.awaitReplyFinished();
    });
  }

  /** Stays silent (silence frames keep flowing) for {@code duration}. */
  public CallScript pause(Duration duration) {
    return step(robot -> {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RobotCallException("Interrupted during a scripted pause");
      }
    });
  }

  /** Speaks {@code delay} after the current reply's audio began, then waits for the reply to the new turn. */
  public CallScript bargeIn(byte[] pcm16k, Duration delay) {
    return step(robot -> {
      robot.bargeIn(pcm16k, delay);
      robot.awaitReplyFinished();
    });
  }

  /** Sends a control message. */
  public CallScript control(JsonNode message) {
    return step(robot -> robot.send(message));
  }

  /** Sends end-call and waits for the server to close the socket. */
  public CallScript endCall() {
    return step(robot -> {
      robot.endCall();
      robot.awaitClosed();
    });
  }

  /** Any other step. */
  public CallScript step(Consumer<RobotCaller> step) {
    steps.add(step);
    return this;
  }

  /** Plays the script; returns the timing of every turn spoken on the robot so far. */
  public List<TurnTiming> run(RobotCaller robot) {
    steps.forEach(step -> step.accept(robot));
    return robot.turnTimings();
  }
}
