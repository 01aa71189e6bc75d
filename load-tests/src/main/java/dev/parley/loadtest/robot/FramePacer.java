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
 * does not accumulate). Every send (audio or text) goes through one chain per socket, because a JDK
 * WebSocket takes the next message only after the previous one. While a broken socket is being
 * replaced ({@link CallSocket}) frames go on being spoken into the gap (dropped) and text messages
 * wait for the new socket.
 */
final class FramePacer {

  private record QueuedFrame(int turn, int index, byte[] bytes) {}

  private final CallSocket link;
  private final CallRecording recording;
  /** What the robot sends between turns, frame after frame, round and round. */
  private final List<byte[]> quiet;
  private int quietAt;
  private final ArrayDeque<QueuedFrame> speech = new ArrayDeque<>();
  private final ArrayDeque<String> textsForNextSocket = new ArrayDeque<>();
  private WebSocket chained;
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
  private ScheduledFuture<?> ticks;
  private boolean stopped;

  FramePacer(CallSocket link, WireFormat format, double lineNoise, CallRecording recording) {
    this.link = link;
    this.recording = recording;
    this.quiet = lineNoise > 0 ? format.lineNoiseFrames(lineNoise) : List.of(format.silenceFrame());
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
    WebSocket socket = link.current();
    if (socket == null) {
      textsForNextSocket.add(json);
      return;
    }
    use(socket);
    chain(socket, () -> socket.sendText(json, true));
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
    WebSocket socket = link.current();
    boolean open = socket != null && !socket.isOutputClosed();
    if (recording.closeStatus() != null || (!open && !link.reconnects())) {
      stop();
      return;
    }
    QueuedFrame next = speech.poll();
    long now = System.nanoTime();
    if (open) {
      use(socket);
      byte[] bytes = next == null ? quiet.get(quietAt++ % quiet.size()) : next.bytes();
      chain(socket, () -> socket.sendBinary(ByteBuffer.wrap(bytes), true));
      recording.frameSent(now);
    } else {
      recording.frameDropped();
    }
    if (next != null) {
      recording.speechFrameSent(next.turn(), next.index(), now);
    }
  }

  /** A new socket starts a new chain (the old one may hang on a dead connection), with the texts that waited. */
  private void use(WebSocket socket) {
    if (socket == chained) {
      return;
    }
    if (chained != null) {
      lastSend = CompletableFuture.completedFuture(null);
    }
    chained = socket;
    for (String text = textsForNextSocket.poll(); text != null; text = textsForNextSocket.poll()) {
      String json = text;
      chain(socket, () -> socket.sendText(json, true));
    }
  }

  private void chain(WebSocket socket, java.util.function.Supplier<CompletableFuture<WebSocket>> send) {
    lastSend = lastSend.thenCompose(previous -> send.get());
    lastSend.whenComplete((ok, failure) -> {
      if (failure != null && !socket.isOutputClosed()) {
        link.sendFailed(socket, failure);
      }
    });
  }
}
