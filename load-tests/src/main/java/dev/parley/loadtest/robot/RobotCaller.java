package dev.parley.loadtest.robot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A robot on the phone: calls the platform's vapi.websocket transport, speaks turns in real time
 * (a 20 ms frame every 20 ms, silence between turns) and records everything it hears with
 * System.nanoTime() (see {@link CallRecording}). Waits time out with what was received so far.
 * Safe to use from several threads; closing hangs up.
 *
 * <pre>{@code
 * try (RobotCaller robot = RobotCaller.dial(api, assistantId, RobotOptions.defaults())) {
 *   robot.awaitReplyFinished();               // the first message
 *   robot.sayAndAwaitReply(voice.pcm("What is the weather?"));
 *   robot.endCall();
 *   robot.awaitClosed();
 * }
 * }</pre>
 */
public final class RobotCaller implements AutoCloseable {

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
  /** How long after a reply ends its final transcript may still come (it follows the speech-update). */
  private static final Duration TRANSCRIPT_GRACE = Duration.ofSeconds(1);

  private final String callId;
  private final RobotOptions options;
  private final CallRecording recording;
  private final CallSocket link;
  private final FramePacer pacer;
  private final ScheduledExecutorService ownClock;
  /** When the last {@code say} control was sent (0: never): the reply after it is the current one. */
  private volatile long lastSayNanos;

  private RobotCaller(String callId, RobotOptions options, CallRecording recording, CallSocket link) {
    this.callId = callId;
    this.options = options;
    this.recording = recording;
    this.link = link;
    this.pacer = new FramePacer(link, options.format(), options.lineNoise(), recording);
    this.ownClock = options.clock() == null ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "robot-clock-" + (callId == null ? "" : callId));
      thread.setDaemon(true);
      return thread;
    }) : null;
    pacer.start(ownClock != null ? ownClock : options.clock());
  }

  /** Creates a call to {@code assistantId} with POST /call and connects to its socket. */
  public static RobotCaller dial(ParleyApi api, String assistantId, RobotOptions options) {
    ParleyApi.CreatedCall call = api.createCall(assistantId, options.format());
    return connect(call.id(), call.websocketCallUrl(), api.http(), options);
  }

  /**
   * Connects to a call's socket URL as given (with its {@code ?token=}), or with a bearer key (see
   * options); with {@link RobotOptions#reconnect()} set, a socket that breaks is reopened elsewhere.
   */
  public static RobotCaller connect(String callId, URI socketUrl, HttpClient http, RobotOptions options) {
    CallRecording recording = new CallRecording(options.keepAudio());
    URI target = options.bearerKey() != null ? withoutToken(socketUrl) : socketUrl;
    return new RobotCaller(callId, options, recording, CallSocket.open(callId, target, http, options, recording));
  }

  /** The call's id (null when connected to a bare URL without one). */
  public String callId() {
    return callId;
  }

  public RobotOptions options() {
    return options;
  }

  public CallRecording recording() {
    return recording;
  }

  /** Where the robot's socket is (or was last) open; changes with each reconnect. */
  public URI socketUrl() {
    return link.target();
  }

  /** Each break of the socket and whether (and where, and how fast) it was reopened. */
  public List<SocketReconnect> reconnects() {
    return recording.reconnects();
  }

  /** Queues a turn (16 kHz PCM) to be spoken from the next free frame on; returns its index at once. */
  public int say(byte[] pcm16k) {
    return pacer.speak(options.format().toFrames(pcm16k));
  }

  /** One turn with a pause inside it (a caller who hesitates): {@code first}, silence, {@code second}. */
  public int say(byte[] first, Duration pause, byte[] second) {
    List<byte[]> frames = new ArrayList<>(options.format().toFrames(first));
    for (long ms = 0; ms < pause.toMillis(); ms += WireFormat.FRAME_MS) {
      frames.add(options.format().silenceFrame());
    }
    frames.addAll(options.format().toFrames(second));
    return pacer.speak(frames);
  }

  /** Speaks a turn, waits for the assistant's reply to it to finish; returns the turn's timing. */
  public TurnTiming sayAndAwaitReply(byte[] pcm16k) {
    int turn = say(pcm16k);
    awaitReplyFinished();
    return turnTiming(turn);
  }

  /**
   * Starts speaking {@code delay} after the first assistant frame of the current reply (the reply to
   * the last turn, or the first message): a barge-in. Returns the turn's index once it is queued.
   */
  public int bargeIn(byte[] pcm16k, Duration delay) {
    long target = awaitReplyStarted() + delay.toNanos();
    for (long left = target - System.nanoTime(); left > 0; left = target - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    return say(pcm16k);
  }

  /** Waits until turn {@code turn}'s last frame has been sent; returns the turn. */
  public SpokenTurn awaitSpoken(int turn) {
    return recording.await(() -> {
      SpokenTurn spoken = recording.turns().get(turn);
      return spoken.finished() ? spoken : null;
    }, options.waitTimeout(), "caller turn " + turn + " to be sent");
  }

  /**
   * Waits for the current reply's first assistant frame (the reply to the last turn or {@code say}
   * message, or the first message); returns its arrival time.
   */
  public long awaitReplyStarted() {
    long since = replyReference();
    return recording.await(() -> {
      long first = recording.firstFrameAfter(since);
      return first == 0 ? null : first;
    }, options.waitTimeout(), "the assistant to start replying" + afterWhat());
  }

  /**
   * Waits for the current reply (as in {@link #awaitReplyStarted()}) to finish: a speech-update
   * "stopped" for the assistant after its first frame, or no assistant audio for
   * {@link RobotOptions#replyQuiet()}. Returns the reply's audio.
   */
  public Utterance awaitReplyFinished() {
    long since = replyReference();
    long end = recording.await(() -> replyEnd(since), options.waitTimeout(),
        "the assistant's reply" + afterWhat() + " to finish");
    return new Utterance(recording.framesBetween(recording.firstFrameAfter(since), end));
  }

  /** When the reply after {@code since} finished (see {@link #awaitReplyFinished()}); null while it has not. */
  private Long replyEnd(long since) {
    long first = recording.firstFrameAfter(since);
    if (first == 0) {
      return null;
    }
    ReceivedMessage stopped = recording.speechUpdateSince("assistant", "stopped", first);
    if (stopped != null) {
      return stopped.atNanos();
    }
    long last = recording.lastFrameNanos();
    return System.nanoTime() - last >= options.replyQuiet().toNanos() ? last : null;
  }

  /**
   * Says a turn and waits for the reply to finish, as a person on a line that dropped would: when the
   * socket had to be reopened after the turn began, and once it is back the robot hears nothing of
   * the assistant for {@code patience}, it says the turn again, at most {@code repeats} times (a
   * transcript of its words that came before the drop proves nothing: the node that heard them may
   * have died with them). Returns how many times it said the turn.
   */
  public int sayUntilAnswered(byte[] pcm16k, Duration patience, int repeats) {
    return sayUntilAnswered(pcm16k, patience, repeats, null);
  }

  /**
   * The same, and when the assistant's reply is {@code askedAgain} (its final transcript: the
   * platform asking a caller who was cut off to say it again), the robot says the turn again at once,
   * whether or not its own socket reopened during the turn: the call's node may have died with the
   * turn while the socket held, or after a reopening from before the turn. Null: no such request.
   */
  public int sayUntilAnswered(byte[] pcm16k, Duration patience, int repeats, String askedAgain) {
    for (int said = 1; ; said++) {
      long began = System.nanoTime();
      long end = awaitSpoken(say(pcm16k)).lastFrameNanos();
      boolean mayRepeat = said <= repeats;
      boolean again = recording.await(() -> {
        Long replied = replyEnd(end);
        if (replied != null) {
          if (!mayRepeat || askedAgain == null) {
            return Boolean.FALSE;
          }
          String text = assistantTranscriptAfter(recording.firstFrameAfter(end));
          // the transcript follows the reply's end: a reply without one is not waited for long
          return text != null ? Boolean.valueOf(text.equals(askedAgain))
              : System.nanoTime() - replied >= TRANSCRIPT_GRACE.toNanos() ? Boolean.FALSE : null;
        }
        long back = mayRepeat ? reopenedAfter(began) : 0;
        boolean unheard = back != 0 && System.nanoTime() - Math.max(back, end) >= patience.toNanos()
            && recording.firstFrameAfter(back) == 0;
        return unheard ? Boolean.TRUE : null;
      }, options.waitTimeout(), "the assistant's reply" + afterWhat() + " to finish");
      if (!again) {
        return said;
      }
    }
  }

  /** The first final transcript of the assistant received after {@code nanos}; null when none was. */
  private String assistantTranscriptAfter(long nanos) {
    for (ReceivedMessage message : recording.messages("transcript")) {
      if (message.atNanos() - nanos >= 0 && message.json().path("role").asText().equals("assistant")
          && message.json().path("transcriptType").asText().equals("final")) {
        return message.json().path("transcript").asText();
      }
    }
    return null;
  }

  /** When a socket reopened after {@code nanos} (the latest such reopening); 0 when none did. */
  private long reopenedAfter(long nanos) {
    long latest = 0;
    for (SocketReconnect reconnect : reconnects()) {
      if (reconnect.reopened() && reconnect.reopenedNanos() - nanos > 0) {
        latest = reconnect.reopenedNanos();
      }
    }
    return latest;
  }

  /** Waits for the first message of {@code type} received from now on; returns it. */
  public ReceivedMessage awaitMessage(String type) {
    int seen = recording.messages().size();
    return awaitMessage(type, seen);
  }

  /** Waits for a message of {@code type} at or after position {@code fromIndex} of all messages. */
  public ReceivedMessage awaitMessage(String type, int fromIndex) {
    return recording.await(() -> {
      List<ReceivedMessage> all = recording.messages();
      for (int i = fromIndex; i < all.size(); i++) {
        if (all.get(i).type().equals(type)) {
          return all.get(i);
        }
      }
      return null;
    }, options.waitTimeout(), "a '" + type + "' message");
  }

  /** Sends a control message (a JSON text frame) in order with the audio. */
  public void send(JsonNode control) {
    if (control.path("type").asText().equals("say")) {
      lastSayNanos = System.nanoTime();
    }
    pacer.sendText(control.toString());
  }

  /** Asks the assistant to say {@code content} ({@code {"type":"say"}}). */
  public void sayThis(String content) {
    send(JsonNodeFactory.instance.objectNode().put("type", "say").put("content", content));
  }

  /** Hangs up through the protocol ({@code {"type":"end-call"}}); the server then closes the socket. */
  public void endCall() {
    send(JsonNodeFactory.instance.objectNode().put("type", "end-call"));
  }

  public CloseStatus awaitClosed() {
    return recording.await(recording::closeStatus, options.waitTimeout(), "the socket to close");
  }

  public List<Utterance> assistantUtterances() {
    return CallAnalysis.utterances(recording.frames(), recording.messages(), CallAnalysis.UTTERANCE_GAP_NANOS);
  }

  public List<TurnTiming> turnTimings() {
    return CallAnalysis.turnTimings(recording.turns(), recording.frames());
  }

  public TurnTiming turnTiming(int turn) {
    SpokenTurn spoken = recording.turns().get(turn);
    if (!spoken.finished()) {
      throw new IllegalStateException("turn " + turn + " has not been spoken yet");
    }
    return new TurnTiming(spoken, recording.firstFrameAfter(spoken.lastFrameNanos()));
  }

  /** Arrival time of the last assistant frame, or 0 when none came. */
  public long lastAssistantFrameNanos() {
    return recording.lastFrameNanos();
  }

  public List<ReceivedMessage> messages(String type) {
    return recording.messages(type);
  }

  /** Stops speaking and closes the socket (1000) unless the server already did; waits briefly. */
  @Override
  public void close() {
    link.hangUp();
    try {
      pacer.stop().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the socket may already be gone; the close below copes with that
    }
    WebSocket socket = link.current();
    try {
      if (socket != null && !socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "robot hung up");
      }
      recording.await(recording::closeStatus, CLOSE_TIMEOUT, "the server to acknowledge the close");
    } catch (RuntimeException e) {
      if (socket != null) {
        socket.abort();
      }
    } finally {
      if (ownClock != null) {
        ownClock.shutdownNow();
      }
    }
  }

  /**
   * The time the current reply is looked for from: the last turn's last frame (waiting for it to be
   * sent) or the last {@code say} control, whichever is later; the connect when neither.
   */
  private long replyReference() {
    List<SpokenTurn> turns = recording.turns();
    long reference = turns.isEmpty() ? recording.startedNanos() : awaitSpoken(turns.size() - 1).lastFrameNanos();
    long say = lastSayNanos;
    return say != 0 && say - reference > 0 ? say : reference;
  }

  private String afterWhat() {
    int turns = recording.turns().size();
    long say = lastSayNanos;
    if (say != 0 && (turns == 0 || say - recording.turns().get(turns - 1).lastFrameNanos() > 0)) {
      return " to the last 'say' message";
    }
    return turns == 0 ? " (first message)" : " to turn " + (turns - 1);
  }

  private static URI withoutToken(URI url) {
    String query = url.getRawQuery();
    if (query == null) {
      return url;
    }
    String kept = String.join("&", java.util.Arrays.stream(query.split("&")).filter(p -> !p.startsWith("token=")).toList());
    String text = url.toString();
    return URI.create(text.substring(0, text.indexOf('?')) + (kept.isEmpty() ? "" : "?" + kept));
  }
}
