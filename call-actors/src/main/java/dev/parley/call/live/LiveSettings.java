package dev.parley.call.live;

import java.time.Duration;

import com.typesafe.config.Config;

/** The node's settings for live calls ({@code parley.call-actors.live}). */
public record LiveSettings(
    int lookaheadFrames,
    int outputBuffer,
    int vadStartFrames,
    int vadHangoverMs,
    int vadPreRollMs,
    Duration reconnectWindow,
    Duration pickupTimeout,
    Duration idleStop,
    String speechDispatcher,
    boolean speculativeReplies,
    String reconnectPrompt,
    Duration reconnectPromptAfter) {

  public static LiveSettings of(Config config) {
    Config live = config.getConfig("parley.call-actors.live");
    return new LiveSettings(
        live.getInt("lookahead-frames"),
        live.getInt("output-buffer"),
        live.getInt("vad.start-frames"),
        (int) live.getDuration("vad.hangover").toMillis(),
        (int) live.getDuration("vad.pre-roll").toMillis(),
        live.getDuration("reconnect-window"),
        live.getDuration("connection-pickup-timeout"),
        live.getDuration("idle-stop"),
        live.getString("speech-dispatcher"),
        live.getBoolean("speculative-replies"),
        live.getString("reconnect-prompt.text").strip(),
        live.getDuration("reconnect-prompt.after"));
  }
}
