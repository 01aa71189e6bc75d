package dev.parley.http.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.call.CallEntity;
import dev.parley.call.CallService;
import dev.parley.call.live.CallerInput;
import dev.parley.call.live.CallerOutput;
import dev.parley.call.live.MediaChannel;
import dev.parley.http.ws.SocketClose;

/**
 * One caller WebSocket joined to its call, wherever the call's entity runs. When the call's streams
 * end without the call having ended (its node died, or handed the call over while leaving), the
 * bridge asks for the call again until it answers or the reconnect window is over: the socket stays
 * open and the caller only hears silence. What the caller said since the call's last checkpoint
 * (what a call that died may have heard, even transcribed, but not yet written) and what it says
 * while the call is away are kept, the last {@value #UNCONFIRMED_LIMIT} inputs (15 s of 20 ms
 * frames), and reach the call first when it is back: a turn spoken into the gap, or cut off by it,
 * is answered late rather than lost.
 */
final class CallBridge {

  private static final Logger log = LoggerFactory.getLogger(CallBridge.class);
  private static final int TO_CALLER_BUFFER = 256;
  private static final int TO_CALL_BUFFER = 64;
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LAST_RETRY = Duration.ofSeconds(1);
  /** An attempt to rejoin waits this long (or the ask timeout if shorter) before the next one. */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
  static final int UNCONFIRMED_LIMIT = 750;

  /** What the bridge needs of its node. */
  record Context(CallService calls, Duration reconnectWindow, Duration askTimeout, ActorSystem<?> system,
      Materializer materializer, CallBridges open) {}

  static final int CLOSE_NODE_LEAVING = 1012;

  private final Context context;
  private final String orgId;
  private final String callId;
  private final BoundedSourceQueue<Message> toCaller;
  private final Source<Message, NotUsed> toCallerSource;
  private final WireAudio audio;
  /** Guarded by itself, as are sending an input and the switch to another call channel. */
  private final Deque<CallerInput> unconfirmed = new ArrayDeque<>();
  private volatile BoundedSourceQueue<CallerInput> toCall;
  private volatile CallerOutput.Close closing;
  private volatile boolean closed;
  private final AtomicLong droppedToCaller = new AtomicLong();

  private CallBridge(Context context, String orgId, String callId, WireAudio audio) {
    this.context = context;
    this.orgId = orgId;
    this.callId = callId;
    this.audio = audio;
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(TO_CALLER_BUFFER).preMaterialize(context.materializer());
    this.toCaller = out.first();
    this.toCallerSource = out.second();
  }

  /**
   * The socket's flow, joined to {@code first}; {@code inputs} turns what the caller sends into
   * call input (or nothing, after telling the caller what was wrong through {@link #notify}).
   */
  static Flow<Message, Message, NotUsed> open(Context context, String orgId, String callId, MediaChannel first,
      WireAudio audio, Function<CallBridge, Flow<Message, CallerInput, NotUsed>> inputs) {
    CallBridge bridge = new CallBridge(context, orgId, callId, audio);
    context.open().add(bridge);
    Sink<Message, NotUsed> fromCaller = inputs.apply(bridge)
        .to(Sink.foreach(bridge::forward).mapMaterializedValue(done -> {
          done.whenComplete((d, failure) -> bridge.callerLeft());
          return NotUsed.getInstance();
        }));
    bridge.join(first);
    return Flow.fromSinkAndSourceCoupled(fromCaller, bridge.toCallerSource);
  }

  /** Sends the caller a text message of the transport (an {@code error}, say). */
  void notify(String json) {
    toCaller.offer(TextMessage.create(json));
  }

  /** Closes the socket after what is queued; the call is told the caller left. */
  void close() {
    completeQuietly(toCaller);
  }

  /** The same, with a close code of its own (RFC 6455 7.4): 1012 when this node leaves, say. */
  void close(int code, String reason) {
    toCaller.offer(SocketClose.of(code, reason));
    completeQuietly(toCaller);
  }

  /** Completing a queue whose stream has already ended (failed, cancelled) throws: nothing to do then. */
  private static void completeQuietly(BoundedSourceQueue<?> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyEnded) {
      // the stream is over already, which is all that completing it would do
    }
  }

  private void forward(CallerInput input) {
    synchronized (unconfirmed) {
      BoundedSourceQueue<CallerInput> current = toCall;
      if (current != null) {
        current.offer(input);
      }
      if (unconfirmed.size() == UNCONFIRMED_LIMIT) {
        unconfirmed.removeFirst();
      }
      unconfirmed.addLast(input);
    }
  }

  /** The call has written what the input before this point meant to it: no need to send it again. */
  private void confirmed() {
    synchronized (unconfirmed) {
      unconfirmed.clear();
    }
  }

  private void join(MediaChannel channel) {
    BoundedSourceQueue<CallerInput> input;
    synchronized (unconfirmed) {
      List<CallerInput> again = List.copyOf(unconfirmed);
      if (!again.isEmpty()) {
        log.debug("Call {}: {} inputs since the call's last checkpoint go to it again", callId, again.size());
      }
      input = channel.runToCall(Source.from(again)
          .concatMat(Source.<CallerInput>queue(TO_CALL_BUFFER), Keep.right()), context.materializer());
      toCall = input;
    }
    closing = null;
    Relayed relayed = new Relayed();
    channel.fromCall()
        .runWith(Sink.foreach(out -> relay(out, relayed)), context.materializer())
        .whenComplete((done, failure) -> {
          log.info("Call {}: its output stream ended{}; relayed {} messages and {} audio frames",
              callId, failure == null ? "" : " (" + failure.getMessage() + ")", relayed.messages, relayed.frames);
          callLeft(input, failure);
        });
    if (closed) {
      completeQuietly(input);
    }
  }

  /** What one call channel's output brought, for the log when it ends (read once that stream is over). */
  private static final class Relayed {
    long messages;
    long frames;
  }

  private void relay(CallerOutput out, Relayed relayed) {
    if (out instanceof CallerOutput.Audio a) {
      relayed.frames++;
      toCaller(BinaryMessage.create(ByteString.fromArrayUnsafe(audio.fromPlatform(a.pcm()))));
    } else if (out instanceof CallerOutput.Message m) {
      relayed.messages++;
      toCaller(TextMessage.create(m.json()));
    } else if (out instanceof CallerOutput.Checkpoint) {
      confirmed();
    } else if (out instanceof CallerOutput.Close c) {
      // a call that is moving says so without having taken in what was on its way: nothing confirmed
      closing = c;
    }
  }

  /** A caller whose socket does not take what is sent loses it: counted and logged, the first and every 500th. */
  private void toCaller(Message message) {
    if (toCaller.offer(message) == QueueOfferResult.dropped()) {
      long count = droppedToCaller.incrementAndGet();
      if (count == 1 || count % 500 == 0) {
        log.warn("Call {}: {} message(s) to the caller dropped: its socket is not taking them", callId, count);
      }
    }
  }

  private void callerLeft() {
    closed = true;
    context.open().remove(this);
    BoundedSourceQueue<CallerInput> current = toCall;
    if (current != null) {
      completeQuietly(current);
    }
  }

  private void callLeft(BoundedSourceQueue<CallerInput> input, Throwable failure) {
    completeQuietly(input);
    synchronized (unconfirmed) {
      if (toCall == input) {
        toCall = null;
      }
    }
    if (closed) {
      return;
    }
    CallerOutput.Close close = closing;
    if (failure == null && close != null && close.code() == CallerOutput.CLOSE_CALL_ENDED) {
      close();
      return;
    }
    String cause = failure != null ? "call lost: " + failure.getMessage()
        : close != null ? "call moved: " + close.reason() : "call streams ended";
    log.info("Call {}: {}; joining it again", callId, cause);
    Instant since = Instant.now();
    // one connection id for every attempt: an attempt whose answer was lost is answered again
    rejoin(UUID.randomUUID().toString(), new CallEntity.Interruption(since, cause),
        since.plus(context.reconnectWindow()), FIRST_RETRY);
  }

  private void rejoin(String connectionId, CallEntity.Interruption interruption, Instant deadline, Duration retry) {
    if (closed) {
      return;
    }
    Duration attemptTimeout = context.askTimeout().compareTo(ATTEMPT_TIMEOUT) < 0 ? context.askTimeout()
        : ATTEMPT_TIMEOUT;
    context.calls().resumeMedia(orgId, callId, connectionId, interruption, attemptTimeout)
        .whenComplete((reply, failure) -> {
          if (closed) {
            if (reply != null && reply.isSuccess()) {
              join(reply.getValue());
            }
            return;
          }
          boolean joined = reply != null && reply.isSuccess();
          String refusal = reply == null || joined ? "" : reply.getError().getMessage();
          if (joined) {
            log.info("Call {} joined again after {} ms", callId,
                Duration.between(interruption.since(), Instant.now()).toMillis());
            join(reply.getValue());
          } else if (refusal.equals(CallEntity.ENDED) || refusal.equals(CallEntity.NOT_FOUND)) {
            close();
          } else if (Instant.now().isAfter(deadline)) {
            log.warn("Call {} did not come back within the reconnect window: closing its socket", callId);
            close();
          } else {
            Duration next = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            context.system().scheduler().scheduleOnce(retry, () -> rejoin(connectionId, interruption, deadline, next),
                context.system().executionContext());
          }
        });
  }

  /** Every open bridge of a node, so a node that leaves can close its sockets first. */
  static final class CallBridges {
    private final java.util.Set<CallBridge> bridges = java.util.concurrent.ConcurrentHashMap.newKeySet();

    void add(CallBridge bridge) {
      bridges.add(bridge);
    }

    void remove(CallBridge bridge) {
      bridges.remove(bridge);
    }

    int closeAll() {
      List<CallBridge> all = List.copyOf(bridges);
      // 1012, service restart: the caller reconnects (to another node) at once
      all.forEach(bridge -> bridge.close(CLOSE_NODE_LEAVING, "node leaving: reconnect"));
      return all.size();
    }
  }
}
