package dev.parley.loadtest.robot;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The caller's microphone: one frame every 20 ms, as a phone sends, speech when a turn is queued and
 * silence otherwise. Ticks come from a fixed-rate schedule (each due at start + n x 20 ms, so lateness
 * does not accumulate). Every send (audio or text) goes through one chain, because a JDK WebSocket
 * takes the next message only after the previous one.
 */
final class FramePacer {

  private record QueuedFrame(int turn, int index, byte[] bytes) {}

  private final WebSocket socket;
  private final WireFormat format;
  private final CallRecording recording;
  private final byte[] silence;
  private final ArrayDeque<QueuedFrame> speech = new ArrayDeque<>();
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
  private ScheduledFuture<?> ticks;
  private boolean stopped;

  FramePacer(WebSocket socket, WireFormat format, CallRecording recording) {
    this.socket = socket;
    this.format = format;
    this.recording = recording;
    this.silence = format.silenceFrame();
  }

  synchronized void start(ScheduledExecutorService clock) {
    ticks = clock.scheduleAtFixedRate(this::tick, 0, WireFormat.FRAME_MS, TimeUnit.MILLISECONDS);
  }

  /** Queues a turn's frames after any still queued; returns the turn's index. */
  synchronized int speak(List<byte[]> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a turn needs at least one frame of audio");
    }
    int turn = recording.turnQueued(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      speech.add(new QueuedFrame(turn, i, frames.get(i)));
    }
    return turn;
  }

  synchronized void sendText(String json) {
    if (stopped) {
      throw new RobotCallException("The robot has hung up: cannot send " + json);
    }
    chain(() -> socket.sendText(json, true));
  }

  /** Stops the clock; returns when what was handed to the socket has gone. */
  synchronized CompletableFuture<?> stop() {
    stopped = true;
    if (ticks != null) {
      ticks.cancel(false);
    }
    return lastSend;
  }

  private void tick() {
    try {
      sendNextFrame();
    } catch (RuntimeException e) {
      // a failing tick would silently cancel the schedule; the failure shows on the socket instead
      recording.closed(new CloseStatus(System.nanoTime(), CloseStatus.FAILED, "sending audio failed: " + e));
      stop();
    }
  }

  private synchronized void sendNextFrame() {
    if (stopped) {
      return;
    }
    if (socket.isOutputClosed() || recording.closeStatus() != null) {
      stop();
      return;
    }
    QueuedFrame next = speech.poll();
    byte[] bytes = next == null ? silence : next.bytes();
    long now = System.nanoTime();
    chain(() -> socket.sendBinary(ByteBuffer.wrap(bytes), true));
    recording.frameSent(now);
    if (next != null) {
      recording.speechFrameSent(next.turn(), next.index(), now);
    }
  }

  private void chain(java.util.function.Supplier<CompletableFuture<WebSocket>> send) {
    lastSend = lastSend.thenCompose(previous -> send.get());
    lastSend.whenComplete((ok, failure) -> {
      if (failure != null && !socket.isOutputClosed()) {
        recording.closed(new CloseStatus(System.nanoTime(), CloseStatus.FAILED, "send failed: " + failure));
      }
    });
  }
}
