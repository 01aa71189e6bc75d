package dev.parley.loadtest.robot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The robot's connection to its call: one WebSocket at a time. Without {@link ReconnectOptions} the
 * first socket's end is the call's end, as recorded. With them, a socket that breaks is replaced by
 * one on another node (see {@link ReconnectOptions}), on a thread of its own, and each break is
 * recorded as a {@link SocketReconnect}; while none is open {@link #current()} is null.
 */
final class CallSocket {

  /** Close codes after which the call may go on elsewhere: going away, server error, restart. */
  static final Set<Integer> BROKEN_CODES = Set.of(1001, 1011, 1012);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_REPORT_GRACE = Duration.ofMillis(500);

  /** How one attempt to open a socket went. */
  private enum Refusal { CALL_OVER, BUSY, UNREACHABLE }

  private final String callId;
  private final HttpClient http;
  private final RobotOptions options;
  private final CallRecording recording;
  private volatile URI target;
  private volatile WebSocket current;
  private volatile boolean hungUp;
  private boolean reconnecting;

  private CallSocket(String callId, HttpClient http, RobotOptions options, CallRecording recording, URI target) {
    this.callId = callId;
    this.http = http;
    this.options = options;
    this.recording = recording;
    this.target = target;
  }

  /** Opens the first socket at {@code target} (already without its token when a bearer key is used). */
  static CallSocket open(String callId, URI target, HttpClient http, RobotOptions options, CallRecording recording) {
    CallSocket link = new CallSocket(callId, http, options, recording, target);
    try {
      link.current = link.connect(target, options.waitTimeout());
      return link;
    } catch (ExecutionException e) {
      throw new RobotCallException("Could not open the call's socket at " + redacted(target) + ": "
          + refusal(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new RobotCallException("The call's socket at " + redacted(target) + " did not open within "
          + options.waitTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RobotCallException("Interrupted opening " + redacted(target), e);
    }
  }

  /** The open socket; null while reconnecting. */
  WebSocket current() {
    return current;
  }

  /** Where the current (or last) socket was opened. */
  URI target() {
    return target;
  }

  boolean reconnects() {
    return options.reconnect() != null;
  }

  /** The robot hangs up: no reconnect from now on; a reconnect under way ends the call's recording. */
  void hangUp() {
    synchronized (this) {
      hungUp = true;
      if (!reconnecting) {
        return;
      }
    }
    recording.closed(new CloseStatus(System.nanoTime(), CloseStatus.FAILED, "the robot hung up while reconnecting"));
  }

  /**
   * A send on {@code socket} failed. The robot sends a frame every 20 ms, so a send often fails
   * because the server has just closed the socket, before the JDK client has reported the close
   * and its code: that report, if it comes soon, is how the socket ended.
   */
  void sendFailed(WebSocket socket, Throwable failure) {
    long failedAt = System.nanoTime();
    CompletableFuture.delayedExecutor(CLOSE_REPORT_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(
        () -> ended(socket, new CloseStatus(failedAt, CloseStatus.FAILED, "send failed: " + failure)));
  }

  /** {@code socket} closed or failed: the call's end, or a break to reconnect from. */
  void ended(WebSocket socket, CloseStatus status) {
    // A server cannot choose its close code with every WebSocket stack (a node that leaves closes
    // normally): a socket that closes before the call said it ended broke, whatever its code.
    boolean broken = status.code() == CloseStatus.FAILED || BROKEN_CODES.contains(status.code())
        || !callEnded();
    synchronized (this) {
      // events of a socket already replaced, or of one tried while reconnecting, are not the call's
      boolean stale = reconnecting || (current != null && socket != current) || recording.closeStatus() != null;
      if (reconnects() && stale) {
        return;
      }
      if (!reconnects() || hungUp || !broken) {
        recording.closed(status);
        return;
      }
      current = null;
      reconnecting = true;
    }
    Thread thread = new Thread(() -> reconnect(status), "robot-reconnect-" + callId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the call told the caller it is over (its end-of-call report or an ended status). */
  private boolean callEnded() {
    return !recording.messages("end-of-call-report").isEmpty() || recording.messages("status-update").stream()
        .anyMatch(m -> "ended".equals(m.json().path("status").asText()));
  }

  private void reconnect(CloseStatus cause) {
    ReconnectOptions settings = options.reconnect();
    List<URI> nodes = settings.nodes();
    long deadline = cause.atNanos() + settings.window().toNanos();
    int index = nextNode(nodes, target);
    int unreachableInARow = 0;
    int attempts = 0;
    Duration backoff = settings.firstBackoff();
    String last = "no node was tried";
    try {
      while (!hungUp && deadline - System.nanoTime() > 0) {
        URI base = nodes.get(index);
        URI next = onNode(base, target);
        attempts++;
        Throwable failure;
        try {
          WebSocket socket = connect(next, Duration.ofNanos(Math.min(CONNECT_TIMEOUT.toNanos(),
              Math.max(1, deadline - System.nanoTime()))));
          reattached(cause, socket, base, next, attempts);
          return;
        } catch (ExecutionException e) {
          failure = e.getCause();
        } catch (TimeoutException e) {
          failure = e;
        }
        last = base + ": " + refusal(failure);
        Refusal refusal = classify(failure);
        if (refusal == Refusal.CALL_OVER) {
          giveUp(cause, attempts, last);
          return;
        }
        if (refusal == Refusal.UNREACHABLE) {
          index = (index + 1) % nodes.size();
          if (++unreachableInARow < nodes.size()) {
            continue;
          }
        }
        unreachableInARow = 0;
        if (!pause(backoff, deadline)) {
          break;
        }
        backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
            : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      last = "interrupted";
    }
    giveUp(cause, attempts, hungUp ? "the robot hung up" : "the " + settings.window() + " window passed; last: " + last);
  }

  private void reattached(CloseStatus cause, WebSocket socket, URI base, URI at, int attempts) {
    if (!attach(socket, at)) {
      socket.abort();
      return;
    }
    recording.reconnected(new SocketReconnect(cause.atNanos(), cause, System.nanoTime(), base, attempts, "reconnected"));
    if (socket.isInputClosed()) {
      // it closed before it was attached, and that close was ignored as a stranger's
      ended(socket, new CloseStatus(System.nanoTime(), CloseStatus.FAILED, "closed as it opened"));
    }
  }

  private synchronized boolean attach(WebSocket socket, URI at) {
    if (hungUp) {
      return false;
    }
    target = at;
    current = socket;
    reconnecting = false;
    return true;
  }

  private void giveUp(CloseStatus cause, int attempts, String why) {
    synchronized (this) {
      reconnecting = false;
    }
    recording.reconnected(new SocketReconnect(cause.atNanos(), cause, 0, null, attempts, why));
    recording.closed(new CloseStatus(cause.atNanos(), cause.code(), cause.reason() + " (not reconnected: " + why + ")"));
  }

  private WebSocket connect(URI at, Duration timeout) throws ExecutionException, TimeoutException,
      InterruptedException {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
    if (options.bearerKey() != null) {
      builder.header("Authorization", "Bearer " + options.bearerKey());
    }
    return builder.buildAsync(at, new RecordingListener(recording, this::ended))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean pause(Duration backoff, long deadline) throws InterruptedException {
    long nanos = Math.min(backoff.toNanos(), deadline - System.nanoTime());
    if (nanos <= 0) {
      return false;
    }
    TimeUnit.NANOSECONDS.sleep(nanos);
    return true;
  }

  private static Refusal classify(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (!(cause instanceof WebSocketHandshakeException handshake)) {
      return Refusal.UNREACHABLE;
    }
    int status = handshake.getResponse().statusCode();
    String body = String.valueOf(handshake.getResponse().body()).toLowerCase(Locale.ROOT);
    if (status == 409 && body.contains("already has a live connection")) {
      return Refusal.BUSY;
    }
    return status == 404 || status == 409 || status == 401 || status == 403 ? Refusal.CALL_OVER : Refusal.UNREACHABLE;
  }

  /** The node after the one {@code at} is on (the first node when it is none of them). */
  private static int nextNode(List<URI> nodes, URI at) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).getPort() == at.getPort() && nodes.get(i).getHost().equals(at.getHost())) {
        return (i + 1) % nodes.size();
      }
    }
    return 0;
  }

  /** {@code request}'s path and query on the node at {@code base} (http becomes ws, https wss). */
  static URI onNode(URI base, URI request) {
    String scheme = base.getScheme().equals("https") || base.getScheme().equals("wss") ? "wss" : "ws";
    String query = request.getRawQuery();
    return URI.create(scheme + "://" + base.getRawAuthority() + request.getRawPath() + (query == null ? "" : "?" + query));
  }

  static String refusal(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof WebSocketHandshakeException handshake) {
      return "HTTP " + handshake.getResponse().statusCode() + " " + handshake.getResponse().body();
    }
    return String.valueOf(cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static String redacted(URI url) {
    return url.toString().replaceAll("token=[^&]*", "token=...");
  }
}
