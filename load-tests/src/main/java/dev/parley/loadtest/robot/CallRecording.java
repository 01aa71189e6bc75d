package dev.parley.loadtest.robot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything that happened on one robot call, stamped with System.nanoTime(): assistant audio
 * frames and JSON messages received, caller frames sent (or dropped while a broken socket was being
 * replaced), caller turns, socket reconnects, the close. Thread-safe: the
 * socket's threads and the pacing clock write, any thread reads copies and waits for conditions.
 */
public final class CallRecording {

  private static final long POLL_MILLIS = 10;

  private final long startedNanos = System.nanoTime();
  private final boolean keepAudio;
  private final List<ReceivedFrame> frames = new ArrayList<>();
  private final List<ReceivedMessage> messages = new ArrayList<>();
  private final List<SpokenTurn> turns = new ArrayList<>();
  private final List<SocketReconnect> reconnects = new ArrayList<>();
  private int droppedFrames;
  private long[] sentFrameNanos = new long[256];
  private int sentFrames;
  private CloseStatus closeStatus;

  public CallRecording(boolean keepAudio) {
    this.keepAudio = keepAudio;
  }

  public long startedNanos() {
    return startedNanos;
  }

  synchronized void frameReceived(long atNanos, byte[] bytes) {
    frames.add(new ReceivedFrame(atNanos, bytes.length, keepAudio ? bytes : null));
    notifyAll();
  }

  synchronized void messageReceived(long atNanos, JsonNode json) {
    messages.add(new ReceivedMessage(atNanos, json));
    notifyAll();
  }

  synchronized void closed(CloseStatus status) {
    if (closeStatus == null) {
      closeStatus = status;
    }
    notifyAll();
  }

  synchronized int turnQueued(int frameCount) {
    turns.add(new SpokenTurn(turns.size(), frameCount, 0, 0));
    notifyAll();
    return turns.size() - 1;
  }

  synchronized void speechFrameSent(int turn, int frameIndex, long atNanos) {
    SpokenTurn spoken = turns.get(turn);
    long first = frameIndex == 0 ? atNanos : spoken.firstFrameNanos();
    long last = frameIndex == spoken.frames() - 1 ? atNanos : 0;
    turns.set(turn, new SpokenTurn(turn, spoken.frames(), first, last));
    notifyAll();
  }

  synchronized void frameSent(long atNanos) {
    if (sentFrames == sentFrameNanos.length) {
      sentFrameNanos = Arrays.copyOf(sentFrameNanos, sentFrames * 2);
    }
    sentFrameNanos[sentFrames++] = atNanos;
  }

  /** A caller frame fell into a break of the socket: spoken, but nobody could hear it. */
  synchronized void frameDropped() {
    droppedFrames++;
  }

  synchronized void reconnected(SocketReconnect reconnect) {
    reconnects.add(reconnect);
    notifyAll();
  }

  public synchronized List<SocketReconnect> reconnects() {
    return List.copyOf(reconnects);
  }

  public synchronized int droppedFrames() {
    return droppedFrames;
  }

  public synchronized List<ReceivedFrame> frames() {
    return List.copyOf(frames);
  }

  public synchronized List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  public synchronized List<ReceivedMessage> messages(String type) {
    return messages.stream().filter(m -> m.type().equals(type)).toList();
  }

  public synchronized List<SpokenTurn> turns() {
    return List.copyOf(turns);
  }

  /** When each caller frame (speech or silence) was handed to the socket. */
  public synchronized long[] sentFrameNanos() {
    return Arrays.copyOf(sentFrameNanos, sentFrames);
  }

  public synchronized CloseStatus closeStatus() {
    return closeStatus;
  }

  /**
   * Waits until {@code probe} answers non-null and returns that. Fails with what was received so far
   * when {@code timeout} passes first, or when the socket ends before (unless the probe accepts it).
   * The probe runs under this recording's lock, often: keep it cheap.
   */
  public <T> T await(Supplier<T> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        T answer = probe.get();
        if (answer != null) {
          return answer;
        }
        if (closeStatus != null) {
          throw new RobotCallException("The call's socket " + closeStatus + " before " + what + "; " + summary());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new RobotCallException("Timed out after " + timeout.toMillis() + " ms waiting for " + what + "; " + summary());
        }
        try {
          wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RobotCallException("Interrupted waiting for " + what + "; " + summary());
        }
      }
    }
  }

  /** Arrival time of the first assistant frame after {@code nanos}, or 0. */
  public synchronized long firstFrameAfter(long nanos) {
    return CallAnalysis.firstFrameAfter(frames, nanos);
  }

  /** Arrival time of the last assistant frame, or 0. */
  public synchronized long lastFrameNanos() {
    return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).atNanos();
  }

  /** The assistant frames received from {@code fromNanos} to {@code toNanos}, both included. */
  public synchronized List<ReceivedFrame> framesBetween(long fromNanos, long toNanos) {
    return frames.stream().filter(f -> f.atNanos() - fromNanos >= 0 && toNanos - f.atNanos() >= 0).toList();
  }

  /** The latest {@code speech-update} for {@code role} with {@code status} received at or after {@code nanos}, or null. */
  public synchronized ReceivedMessage speechUpdateSince(String role, String status, long nanos) {
    for (int i = messages.size() - 1; i >= 0 && messages.get(i).atNanos() - nanos >= 0; i--) {
      ReceivedMessage m = messages.get(i);
      if (m.type().equals("speech-update") && m.json().path("role").asText().equals(role)
          && m.json().path("status").asText().equals(status)) {
        return m;
      }
    }
    return null;
  }

  /** What was received so far, in a few lines: for failure messages. */
  public synchronized String summary() {
    long now = System.nanoTime();
    StringBuilder text = new StringBuilder("received after ").append(millis(now - startedNanos)).append(" ms: ")
        .append(frames.size()).append(" audio frames");
    if (!frames.isEmpty()) {
      text.append(" (last ").append(millis(now - frames.get(frames.size() - 1).atNanos())).append(" ms ago)");
    }
    text.append(", ").append(messages.size()).append(" messages");
    int from = Math.max(0, messages.size() - 12);
    if (!messages.isEmpty()) {
      text.append(from > 0 ? " (last 12)" : "").append(": [");
      for (int i = from; i < messages.size(); i++) {
        text.append(i > from ? "; " : "").append(messages.get(i).brief());
      }
      text.append(']');
    }
    long finished = turns.stream().filter(SpokenTurn::finished).count();
    text.append("; sent ").append(sentFrames).append(" frames, ").append(finished).append('/').append(turns.size())
        .append(" turns spoken");
    if (!reconnects.isEmpty()) {
      long reopened = reconnects.stream().filter(SocketReconnect::reopened).count();
      text.append("; ").append(reconnects.size()).append(" socket breaks, ").append(reopened).append(" reconnected, ")
          .append(droppedFrames).append(" frames dropped meanwhile");
    }
    text.append("; socket ").append(closeStatus == null ? "open" : closeStatus.toString());
    return text.toString();
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
