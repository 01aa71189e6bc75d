package dev.parley.loadtest.robot;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a robot calls.
 *
 * @param format the socket's audio format
 * @param bearerKey when set, the socket is opened with {@code Authorization: Bearer <key>} and without
 *     the URL's {@code token} parameter; when null, the URL is used as given
 * @param clock the scheduler that paces caller frames (share one among many robots); null: the robot
 *     makes its own and shuts it down on close
 * @param waitTimeout how long any wait may take before it fails
 * @param replyQuiet a reply is over after this long without assistant audio (if no speech-update
 *     "stopped" said so earlier)
 * @param keepAudio keep the received audio bytes (not just their times and sizes)
 * @param reconnect when set, a socket that breaks is reopened on another node (see
 *     {@link ReconnectOptions}); null: the socket's end is the call's end
 * @param lineNoise between turns the robot sends white noise of this RMS (16-bit sample units), as a
 *     phone line hisses; 0: digital silence
 */
public record RobotOptions(WireFormat format, String bearerKey, ScheduledExecutorService clock,
    Duration waitTimeout, Duration replyQuiet, boolean keepAudio, ReconnectOptions reconnect, double lineNoise) {

  public RobotOptions(WireFormat format, String bearerKey, ScheduledExecutorService clock,
      Duration waitTimeout, Duration replyQuiet, boolean keepAudio) {
    this(format, bearerKey, clock, waitTimeout, replyQuiet, keepAudio, null, 0);
  }

  public static RobotOptions defaults() {
    return new RobotOptions(WireFormat.PCM_16K, null, null, Duration.ofSeconds(30), Duration.ofMillis(1500), true);
  }

  public RobotOptions withFormat(WireFormat value) {
    return new RobotOptions(value, bearerKey, clock, waitTimeout, replyQuiet, keepAudio, reconnect, lineNoise);
  }

  public RobotOptions withBearerKey(String value) {
    return new RobotOptions(format, value, clock, waitTimeout, replyQuiet, keepAudio, reconnect, lineNoise);
  }

  public RobotOptions withClock(ScheduledExecutorService value) {
    return new RobotOptions(format, bearerKey, value, waitTimeout, replyQuiet, keepAudio, reconnect, lineNoise);
  }

  public RobotOptions withWaitTimeout(Duration value) {
    return new RobotOptions(format, bearerKey, clock, value, replyQuiet, keepAudio, reconnect, lineNoise);
  }

  public RobotOptions withReplyQuiet(Duration value) {
    return new RobotOptions(format, bearerKey, clock, waitTimeout, value, keepAudio, reconnect, lineNoise);
  }

  public RobotOptions withKeepAudio(boolean value) {
    return new RobotOptions(format, bearerKey, clock, waitTimeout, replyQuiet, value, reconnect, lineNoise);
  }

  public RobotOptions withReconnect(ReconnectOptions value) {
    return new RobotOptions(format, bearerKey, clock, waitTimeout, replyQuiet, keepAudio, value, lineNoise);
  }

  public RobotOptions withLineNoise(double value) {
    return new RobotOptions(format, bearerKey, clock, waitTimeout, replyQuiet, keepAudio, reconnect, value);
  }
}
