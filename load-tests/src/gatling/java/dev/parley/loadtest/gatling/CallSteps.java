package dev.parley.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import dev.parley.loadtest.robot.WireFormat;

/**
 * The steps of one call, as Gatling chains: POST /call, open its socket, a few turns spoken in real
 * time (a 20 ms frame every 20 ms, speech then silence), hang up with {@code end-call}.
 *
 * <p>Gatling's WebSocket checks block the virtual user, and the node's voice detector only ends a
 * turn after it has received enough silence frames, so a turn is checked like this: frames go out
 * without waiting, {@link InboundMessages} notices the user's transcript between frames, and only
 * then does one frame carry a blocking check for the assistant's reply audio (the caller sends
 * nothing while it waits: the gap falls where a caller listens). Frames are due at fixed 20 ms
 * steps; after such a wait the schedule restarts from now rather than sending the missed frames.
 */
final class CallSteps {

  static final String FRAME = "caller audio frame";
  private static final long FRAME_MS = WireFormat.FRAME_MS;
  /** Behind by more than this (a check was waited for), the frame schedule restarts. */
  private static final long RESYNC_MS = 100;
  /** The caller listens this long to the first message (and before each turn) before speaking. */
  private static final long LEAD_MS = 1000;
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);
  private static final long TRANSCRIPT_WAIT_MS = 5000;
  private static final Duration REPLY_WAIT = Duration.ofSeconds(10);
  private static final Duration END_WAIT = Duration.ofSeconds(10);

  private static final String CALL_ID = "callId";
  private static final String ANSWERED_URL = "websocketCallUrl";
  private static final String SOCKET_URL = "socketUrl";
  private static final String CALL_START = "callStartMs";
  private static final String FRAME_DUE = "frameDueMs";
  private static final String TURN = "turn";
  private static final String SPEECH_FRAME = "speechFrame";
  private static final String REPLY_BYTES = "replyAudioBytes";

  private final SimulationSettings settings;
  private final CallerAudio audio;
  private final InboundMessages inbound;
  private final CallFigures figures;
  private final String callBody;

  CallSteps(SimulationSettings settings, CallerAudio audio, CallFigures figures, String callBody) {
    this.settings = settings;
    this.audio = audio;
    this.inbound = new InboundMessages(figures);
    this.figures = figures;
    this.callBody = callBody;
  }

  /** POST /call on this user's node; the socket URL is re-pointed at that node. */
  ChainBuilder createCall() {
    return exec(http("POST /call").post("#{" + NodeRoundRobin.BASE + "}/call")
        .body(StringBody(callBody)).asJson()
        .check(status().is(201), jsonPath("$.id").saveAs(CALL_ID),
            jsonPath("$.transport.websocketCallUrl").saveAs(ANSWERED_URL)))
        .exitHereIfFailed()
        .exec(s -> s.set(SOCKET_URL,
            NodeRoundRobin.socketUrlOn(s.getString(NodeRoundRobin.BASE), s.getString(ANSWERED_URL))));
  }

  /** Opens the call's socket; the call must report in-progress and start its first message. */
  ChainBuilder connect() {
    return exec(ws("connect").connect("#{" + SOCKET_URL + "}").await(CONNECT_WAIT).on(
        ws.checkTextMessage("status-update in-progress").matching(jsonPath("$.type").is("status-update"))
            .check(jsonPath("$.status").is("in-progress")),
        ws.checkBinaryMessage("first message audio").check(bodyLength().gt(0))))
        .exitHereIfFailed()
        .exec(s -> s.set(CALL_START, System.currentTimeMillis()));
  }

  /** The caller's turns, each in its own slot of the call; they stop once a frame could not be sent. */
  ChainBuilder turns() {
    long slot = settings.turnMillis();
    return repeat(settings.turns(), TURN).on(doIf(s -> !s.isFailed()).then(exec(
        exec(s -> s.remove(InboundMessages.SPEECH_END).remove(InboundMessages.TRANSCRIPT_AT)),
        silenceUntil(s -> s.getLong(CALL_START) + s.getInt(TURN) * slot + LEAD_MS),
        repeat(s -> speech(s).size(), SPEECH_FRAME).on(paced(ws(FRAME).sendBytes(s -> speech(s).get(s.getInt(SPEECH_FRAME))))),
        exec(s -> {
          figures.turnSpoken();
          return s.set(InboundMessages.SPEECH_END, System.currentTimeMillis());
        }),
        asLongAs(s -> !s.isFailed() && !s.contains(InboundMessages.TRANSCRIPT_AT)
            && System.currentTimeMillis() < s.getLong(InboundMessages.SPEECH_END) + TRANSCRIPT_WAIT_MS)
            .on(paced(ws(FRAME).sendBytes(audio.silence()))),
        exec(s -> s.remove(REPLY_BYTES)),
        paced(ws(FRAME).sendBytes(audio.silence()).await(REPLY_WAIT).on(
            ws.checkBinaryMessage("assistant reply audio").check(bodyLength().gt(0).saveAs(REPLY_BYTES)))),
        exec(s -> {
          if (s.contains(REPLY_BYTES)) {
            figures.replyAfter(System.currentTimeMillis() - s.getLong(InboundMessages.SPEECH_END));
          }
          // a missing reply is already a KO; the caller goes on with its next turn, and only a frame
          // that cannot be sent (the socket is gone) fails the session and stops the turns
          return s.markAsSucceeded();
        }),
        silenceUntil(s -> s.getLong(CALL_START) + (s.getInt(TURN) + 1) * slot))));
  }

  /** {@code end-call}: the call must end as the customer's doing and send its report; then the socket closes. */
  ChainBuilder hangUp() {
    return exec(ws.processUnmatchedMessages(inbound::take))
        .exec(ws("end-call").sendText("{\"type\":\"end-call\"}").await(END_WAIT).on(
            ws.checkTextMessage("status-update ended").matching(jsonPath("$.type").is("status-update"))
                .check(jsonPath("$.status").is("ended"), jsonPath("$.endedReason").is("customer-ended-call")),
            ws.checkTextMessage("end-of-call-report").matching(jsonPath("$.type").is("end-of-call-report"))
                .check(jsonPath("$.endedReason").is("customer-ended-call"))))
        .exec(ws("close").close());
  }

  private List<byte[]> speech(Session session) {
    return audio.turn(session.getInt(TURN));
  }

  /** Silence frames until {@code deadline} (epoch ms), or until something failed. */
  private ChainBuilder silenceUntil(Function<Session, Long> deadline) {
    return asLongAs(s -> !s.isFailed() && System.currentTimeMillis() < deadline.apply(s))
        .on(paced(ws(FRAME).sendBytes(audio.silence())));
  }

  /** Waits for the frame's due time, reads what arrived since the last frame, sends. */
  private ChainBuilder paced(ActionBuilder send) {
    return pause(CallSteps::untilDue)
        .exec(ws.processUnmatchedMessages(inbound::take))
        .exec(send)
        .exec(CallSteps::nextDue);
  }

  private static Duration untilDue(Session session) {
    long due = session.contains(FRAME_DUE) ? session.getLong(FRAME_DUE) : 0;
    return Duration.ofMillis(Math.max(0, due - System.currentTimeMillis()));
  }

  private static Session nextDue(Session session) {
    long now = System.currentTimeMillis();
    long due = session.contains(FRAME_DUE) ? session.getLong(FRAME_DUE) + FRAME_MS : now + FRAME_MS;
    return session.set(FRAME_DUE, due < now - RESYNC_MS ? now + FRAME_MS : due);
  }
}
