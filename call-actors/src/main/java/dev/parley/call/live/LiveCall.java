package dev.parley.call.live;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.stream.Materializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.CallEntity;
import dev.parley.call.CallMetrics;
import dev.parley.call.CallEntity.Event;
import dev.parley.call.CallState;
import dev.parley.call.CallStatus;
import dev.parley.call.TurnLatency;
import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.Providers;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.TextToSpeech;

/**
 * The live side of one call entity: its caller connection, the reply that is playing, and
 * Vapi-style turn-taking. It decides which events the entity persists; it holds only what a
 * restart may lose (the connection and the reply in flight), never the conversation itself.
 *
 * <p>Turn-taking: the voice detector marks the caller's speech; after it ends, the turn is taken
 * {@code startSpeakingPlan.waitSeconds} after the last voiced frame once the final transcript is
 * in. Caller speech over the assistant for {@code stopSpeakingPlan.voiceSeconds} (or
 * {@code numWords} words) stops the reply; what was heard is kept, and the next reply waits
 * {@code backoffSeconds}.
 */
public final class LiveCall {

  /** What every call of a node shares. */
  public record Dependencies(Providers providers, LiveSettings settings, Materializer materializer) {}

  private static final String ENDPOINT = "endpoint";
  private static final String INTERRUPT = "interrupt";
  private static final String SILENCE = "silence";
  private static final String MAX_DURATION = "max-duration";
  private static final String IDLE_STOP = "idle-stop";
  private static final String RECONNECT_PROMPT = "reconnect-prompt";
  /** A tick that ends the call with the reason that follows the prefix. */
  private static final String END_PREFIX = "end:";

  private final ActorContext<CallEntity.Command> context;
  private final TimerScheduler<CallEntity.Command> timers;
  private final Dependencies deps;
  private final EffectFactories<Event, CallState> effects = new EffectFactories<>();

  private JsonNode assistant;
  private TurnSettings turn;
  private CallConnection connection;
  /** The node the connection's caller is on; null for this node. */
  private Address connectionNode;
  private int attachCount;
  private int timerGeneration;
  /**
   * The caller's last connection did not end cleanly: it was lost, or still open when the call's
   * last node stopped. Kept by {@link #observe} from the events, so a call rebuilt elsewhere knows.
   * A call rebuilt from a snapshot replays only the events after it: with no connection event among
   * them, the connection was still open when the call's node stopped (a clean move writes its close
   * just before the stop, so only when that close is the snapshot's own event is this wrong).
   */
  private boolean callerCut = true;

  private ReplyStream reply;
  private String replySource;
  private Instant replyStartedAt;
  private String afterReplyEndReason;
  private boolean responsePending;
  private TurnTimer turnTimer = TurnTimer.NONE;
  private long backoffUntilNanos;
  private int replies;

  private boolean userSpeaking;
  private long speechStartNanos;
  private long lastVoiceNanos;
  private final List<String> finals = new ArrayList<>();
  private boolean countedLive;
  private long finalNanos;
  /** The caller's speech ended since the last turn was taken: a final now can be part of a turn. */
  private boolean speechEndedSinceTurn;
  private boolean endpointDue;
  /** A reply to the caller's words so far, started before the turn is decided; see {@link #speculate}. */
  private Speculation speculation;

  /** A held reply, the words it answers and when its model request left. */
  private record Speculation(ReplyStream stream, String text, long modelStartNanos) {}

  /** The timings of the turn being answered. */
  private record TurnTimer(long speechEndNanos, long finalNanos, long decidedNanos, long modelStartNanos,
      long firstTokenNanos) {
    static final TurnTimer NONE = new TurnTimer(0, 0, 0, 0, 0);

    TurnTimer withFirstToken(long nanos) {
      return firstTokenNanos != 0 ? this
          : new TurnTimer(speechEndNanos, finalNanos, decidedNanos, modelStartNanos, nanos);
    }
  }

  public LiveCall(ActorContext<CallEntity.Command> context, TimerScheduler<CallEntity.Command> timers,
      Dependencies deps) {
    this.context = context;
    this.timers = timers;
    this.deps = deps;
  }

  // ---- connection ----

  public Effect<Event, CallState> onAttachMedia(CallState state, CallEntity.AttachMedia attach) {
    ActorRef<StatusReply<MediaChannel>> replyTo = attach.replyTo();
    if (!state.visibleTo(attach.orgId())) {
      return effects.none().thenReply(replyTo, s -> StatusReply.error(CallEntity.NOT_FOUND));
    }
    if (state.ended()) {
      return effects.none().thenReply(replyTo, s -> StatusReply.error(CallEntity.ENDED));
    }
    List<Event> events = new ArrayList<>();
    if (connection != null) {
      // the same connection asking again (its first answer was lost or late) gets the same channel
      MediaChannel current = connection.channel();
      if (connection.id().equals(attach.connectionId())) {
        return effects.none().thenReply(replyTo, s -> StatusReply.success(current));
      }
      if (!CallerNodes.isDown(context.getSystem(), connectionNode)) {
        return effects.none().thenReply(replyTo, s -> StatusReply.error(CallEntity.ALREADY_CONNECTED));
      }
      // Its caller cannot be on a node that is down: the caller is back on another one. Its
      // streams would say so only once the node is removed and their deadline passed.
      CallConnection old = connection;
      events.addAll(dropConnection(old.id(), "lost: its node " + connectionNode + " is down"));
      old.close(CallerOutput.CLOSE_CALL_MOVED, "replaced: the node is down");
    }
    loadAssistant(state);
    CallConnection opened;
    Address callerNode = CallerNodes.of(replyTo);
    try {
      opened = CallConnection.open(attach.connectionId(), state.call().transportJson(), transcription(), context.getSelf(),
          callerNode == null, deps.settings().outputBuffer(), deps.settings().pickupTimeout(), deps.materializer());
    } catch (UnresolvedProvider e) {
      events.add(ended(e.endedReason, now()));
      return effects.persist(events)
          .thenRun(s -> context.getLog().warn("Call {} cannot start: {}", s.call().id(), e.getMessage()))
          .thenReply(replyTo, s -> StatusReply.error(CallEntity.ENDED));
    }
    connection = opened;
    connectionNode = callerNode;
    attachCount++;
    timers.cancel(IDLE_STOP);
    boolean firstStart = state.transportsAttached() == 0;
    // a caller back on a new connection after a cut (a socket kept open sends its audio again)
    boolean afterCut = !firstStart && attach.resuming() == null && callerCut;
    Instant at = now();
    if (attach.resuming() != null && !firstStart) {
      events.add(new CallEntity.CallResumed(attach.connectionId(), attach.resuming().since(), at,
          attach.resuming().cause()));
      CallMetrics.callResumed(Math.max(0, Duration.between(attach.resuming().since(), at).toMillis()));
    }
    countLive();
    events.add(new CallEntity.TransportAttached(attach.connectionId(), at));
    if (firstStart) {
      ModelContext.systemPrompts(assistant).forEach(p -> events.add(new CallEntity.SystemPrompted(p, at)));
    }
    String how = (callerNode == null ? "on this node" : "from " + callerNode)
        + (firstStart ? ", first" : attach.resuming() != null ? ", its socket kept" : afterCut ? ", after a cut" : "");
    return effects.persist(events)
        .thenRun(s -> context.getLog().info("Call {}: connection {} attached ({})", s.call().id(),
            opened.id(), how))
        .thenRun(s -> started(s, firstStart, afterCut))
        .thenReply(replyTo, s -> StatusReply.success(opened.channel()));
  }

  /** Every event, as it is applied, in recovery too: what the conversation's state does not keep. */
  public void observe(Event event) {
    if (event instanceof CallEntity.TransportAttached) {
      callerCut = true;
    } else if (event instanceof CallEntity.TransportDetached detached) {
      callerCut = detached.reason().startsWith("lost");
    }
  }

  private void started(CallState state, boolean firstStart, boolean afterCut) {
    send(ServerMessages.statusUpdate(CallStatus.IN_PROGRESS.wireName(), null));
    Duration elapsed = Duration.between(state.startedAt(), Instant.now());
    timers.startSingleTimer(MAX_DURATION, new LiveSignal.Tick(MAX_DURATION, 0),
        positive(turn.maxDuration().minus(elapsed)));
    armSilence();
    if (firstStart) {
      greet(state);
      return;
    }
    // what reached the old connection, or died with a node before it was sent, may not be what the
    // journal holds: the caller's client is brought up to date (a final transcript lost in the cut)
    send(ServerMessages.conversationUpdate(state));
    String resumed;
    if (reply != null) {
      resumed = "a reply playing";
    } else if (ModelContext.awaitsReply(state)) {
      // the call restarted after the caller's turn was written and before its reply was: answer now
      resumed = "answering the last turn";
      respond(state);
    } else if (ModelContext.nothingSaid(state)) {
      // it restarted while the first message played: the caller heard part of it at most
      resumed = "greeting again";
      greet(state);
    } else if (afterCut && !deps.settings().reconnectPrompt().isEmpty()) {
      resumed = "waiting for the caller, who may have been cut off";
      timers.startSingleTimer(RECONNECT_PROMPT, new LiveSignal.Tick(RECONNECT_PROMPT, 0),
          deps.settings().reconnectPromptAfter());
    } else {
      resumed = "waiting for the caller";
    }
    context.getLog().info("Call {} resumed: {} messages, {}", state.call().id(), state.messages().size(), resumed);
  }

  private void greet(CallState state) {
    if (TurnSettings.SPEAKS_FIRST.equals(turn.firstMessageMode()) && !turn.firstMessage().isEmpty()) {
      speak(turn.firstMessage(), "first-message", null);
    } else if (TurnSettings.SPEAKS_FIRST_MODEL.equals(turn.firstMessageMode())) {
      respond(state);
    }
  }

  public CallState onRecovered(CallState state) {
    if (state.status() == CallStatus.IN_PROGRESS) {
      countLive();
      loadAssistant(state);
      // Whoever held the connection before the restart has to come back within the window.
      timers.startSingleTimer("reconnect", new LiveSignal.ReconnectWindowOver(attachCount),
          deps.settings().reconnectWindow());
    } else {
      armIdleStop();
    }
    return state;
  }

  /** The entity stops itself after a while unless a connection makes the call live. */
  public void armIdleStop() {
    timers.startSingleTimer(IDLE_STOP, new CallEntity.StopIfIdle(), deps.settings().idleStop());
  }

  public ActorRef<CallEntity.Command> self() {
    return context.getSelf();
  }

  public void onStop() {
    if (countedLive) {
      // the call goes on elsewhere (hand-off, or this node is stopping)
      CallMetrics.callHandedOff();
      countedLive = false;
    }
    dropSpeculation();
    stopReply();
    if (connection != null) {
      connection.close(CallerOutput.CLOSE_CALL_MOVED, "call moved or node stopping");
      logLetGo(connection, "the call moved or its node is stopping");
      connection = null;
    }
  }

  // ---- signals ----

  public Effect<Event, CallState> onSignal(CallState state, LiveSignal signal) {
    if (state.ended() || !state.exists()) {
      return effects.none();
    }
    if (signal instanceof LiveSignal.CallerControl c) {
      return isCurrent(c.connectionId()) ? onControl(state, c.json()) : effects.none();
    } else if (signal instanceof LiveSignal.CallerGone g) {
      return isCurrent(g.connectionId()) ? onCallerGone(g.connectionId(), g.reason()) : effects.none();
    } else if (signal instanceof LiveSignal.Vad v) {
      return isCurrent(v.connectionId()) ? onVad(state, v.event()) : effects.none();
    } else if (signal instanceof LiveSignal.Heard h) {
      return isCurrent(h.connectionId()) ? onHeard(state, h) : effects.none();
    } else if (signal instanceof LiveSignal.PipelineFailed f) {
      context.getLog().warn("Call {} pipeline failed ({}): {}", state.call().id(), f.endedReason(), f.message());
      CallMetrics.providerError(f.endedReason());
      return endCall(state, f.endedReason());
    } else if (signal instanceof LiveSignal.ReplyFailed f) {
      return onSignal(state, new LiveSignal.PipelineFailed(f.endedReason(), f.message()));
    } else if (signal instanceof LiveSignal.ModelDelta d) {
      if (isCurrentReply(d.replyId())) {
        turnTimer = turnTimer.withFirstToken(d.atNanos());
        send(ServerMessages.modelOutput(d.text()));
      }
      return effects.none();
    } else if (signal instanceof LiveSignal.ModelToolCall t) {
      return isCurrentReply(t.replyId()) ? onToolCall(t.call()) : effects.none();
    } else if (signal instanceof LiveSignal.ReplyAudioStarted a) {
      if (isCurrentReply(a.replyId())) {
        replyStartedAt = instantOf(a.atNanos());
      }
      return effects.none();
    } else if (signal instanceof LiveSignal.ReplyDone d) {
      return isCurrentReply(d.replyId()) ? onReplyDone(state) : effects.none();
    } else if (signal instanceof LiveSignal.Tick t) {
      return onTick(state, t);
    } else if (signal instanceof LiveSignal.ReconnectWindowOver w) {
      return connection == null && w.attachCount() == attachCount
          ? endCall(state, "phone-call-provider-closed-websocket") : effects.none();
    }
    return effects.none();
  }

  private Effect<Event, CallState> onControl(CallState state, String json) {
    JsonNode message = ServerMessages.parse(json);
    if (message == null || !message.isObject()) {
      send(ServerMessages.error("Malformed message: expected a JSON object with a \"type\""));
      return effects.none();
    }
    String type = message.path("type").asText("");
    switch (type) {
      case "end-call":
        return endCall(state, "customer-ended-call");
      case "say": {
        String content = message.path("content").asText("");
        if (content.isBlank()) {
          send(ServerMessages.error("say: \"content\" must be non-empty text"));
          return effects.none();
        }
        stopReplyKeepingHeard();
        List<Event> heard = drainPending();
        speak(content, "say", message.path("endCallAfterSpoken").asBoolean(false)
            ? "assistant-ended-call-after-message-spoken" : null);
        return effects.persist(heard);
      }
      case "add-message":
        return onAddMessage(state, message);
      case "control":
        return onControlCommand(state, message.path("control").asText(""));
      default:
        send(ServerMessages.error("Unknown message type \"" + type
            + "\"; expected say, add-message, control or end-call"));
        return effects.none();
    }
  }

  private Effect<Event, CallState> onAddMessage(CallState state, JsonNode message) {
    String role = message.path("message").path("role").asText("");
    String content = message.path("message").path("content").asText("");
    boolean respond = message.path("triggerResponseEnabled").asBoolean(true);
    Instant at = now();
    if (content.isEmpty()) {
      send(ServerMessages.error("add-message: message.content must be non-empty text"));
      return effects.none();
    }
    switch (role) {
      case "system":
        return effects.persist(new CallEntity.SystemPrompted(content, at))
            .thenRun(s -> afterAddMessage(s, false));
      case "user":
        return effects.persist(new CallEntity.UserSpoke(content, at, at)).thenRun(s -> afterAddMessage(s, respond));
      case "assistant":
        return effects.persist(new CallEntity.AssistantSpoke(content, content, false, at, at, "add-message", null))
            .thenRun(s -> afterAddMessage(s, false));
      default:
        send(ServerMessages.error("add-message: message.role must be system, user or assistant"));
        return effects.none();
    }
  }

  private void afterAddMessage(CallState state, boolean respond) {
    sendConversationUpdate(state);
    if (respond) {
      stopReply();
      respond(state);
    }
  }

  private Effect<Event, CallState> onControlCommand(CallState state, String control) {
    switch (control) {
      case "mute-assistant":
        connection.setMuted(true);
        return effects.none();
      case "unmute-assistant":
        connection.setMuted(false);
        return effects.none();
      case "say-first-message":
        if (!turn.firstMessage().isEmpty()) {
          speak(turn.firstMessage(), "first-message", null);
        }
        return effects.none();
      default:
        send(ServerMessages.error("Unknown control \"" + control
            + "\"; expected mute-assistant, unmute-assistant or say-first-message"));
        return effects.none();
    }
  }

  private Effect<Event, CallState> onCallerGone(String connectionId, String reason) {
    return effects.persist(dropConnection(connectionId, reason));
  }

  /**
   * Sharding moves the call (its node leaves, or shards rebalance) and stops the entity with this
   * in place of a PoisonPill, which would drop what the caller heard and said here and nobody wrote
   * yet: a reply that has played to its end (its ReplyDone still on the way) and a turn transcribed
   * but not yet decided. Both are written first, and that the connection closed on purpose. A reply
   * still playing is not: the call's next home says it again, as after a crash.
   */
  public Effect<Event, CallState> onHandOff(CallState state) {
    List<Event> events = drainPending();
    if (state.exists() && !state.ended()) {
      Event heard = reply != null && reply.allSent() ? spokenEvent(reply, false, reply.playback().fullText())
          : undecidedTurn();
      if (heard != null) {
        events.add(heard);
      }
      if (connection != null) {
        // closed on purpose (onStop): a caller who comes back was not cut off (no reconnect prompt)
        events.add(new CallEntity.TransportDetached(connection.id(), "closed: the call moved", now()));
      }
    }
    return effects.persist(events).thenStop();
  }

  /**
   * The caller saw these words transcribed: a turn whose end was not decided yet is still the
   * caller's turn, to be answered (not words said over a reply). Null when there is none.
   */
  private CallEntity.UserSpoke undecidedTurn() {
    return reply == null && !finals.isEmpty()
        ? new CallEntity.UserSpoke(String.join(" ", finals), instantOf(speechStartNanos), instantOf(lastVoiceNanos))
        : null;
  }

  /** Lets the connection go; the caller has the reconnect window to come back. The events to write. */
  private List<Event> dropConnection(String connectionId, String reason) {
    CallEntity.UserSpoke cutOff = undecidedTurn();
    dropSpeculation();
    stopReplyKeepingHeard();
    logLetGo(connection, reason);
    connection = null;
    timers.cancel(SILENCE);
    timers.cancel(RECONNECT_PROMPT);
    resetUserTurn();
    timers.startSingleTimer("reconnect", new LiveSignal.ReconnectWindowOver(attachCount),
        deps.settings().reconnectWindow());
    List<Event> events = new ArrayList<>(pendingEvents);
    pendingEvents.clear();
    if (cutOff != null) {
      events.add(cutOff);
    }
    events.add(new CallEntity.TransportDetached(connectionId, reason, now()));
    return events;
  }

  // ---- the caller's speech ----

  private Effect<Event, CallState> onVad(CallState state, VadEvent event) {
    context.getLog().debug("Call {}: {}", state.call().id(), event);
    if (event instanceof VadEvent.SpeechStarted started) {
      // the caller goes on: the reply to their words so far answers the wrong turn
      dropSpeculation();
      timers.cancel(RECONNECT_PROMPT);
      userSpeaking = true;
      speechStartNanos = finals.isEmpty() ? started.atNanos() : speechStartNanos;
      endpointDue = false;
      timers.cancel(ENDPOINT);
      armSilence();
      send(ServerMessages.speechUpdate("started", "user", replies));
      if (interruptible() && turn.interruptWords() == 0) {
        Duration voice = turn.interruptVoice();
        if (voice.isZero()) {
          return interrupt(state);
        }
        // voiceSeconds counts from the start of the caller's speech, not from its detection
        timers.startSingleTimer(INTERRUPT, new LiveSignal.Tick(INTERRUPT, ++timerGeneration),
            positive(Duration.ofNanos(started.atNanos() + voice.toNanos() - System.nanoTime())));
      }
    } else if (event instanceof VadEvent.SpeechEnded ended) {
      userSpeaking = false;
      speechEndedSinceTurn = true;
      lastVoiceNanos = ended.lastVoiceNanos();
      timers.cancel(INTERRUPT);
      armSilence();
      send(ServerMessages.speechUpdate("stopped", "user", replies));
      long dueNanos = Math.max(lastVoiceNanos + turn.waitAfterSpeech().toNanos(), backoffUntilNanos);
      timers.startSingleTimer(ENDPOINT, new LiveSignal.Tick(ENDPOINT, ++timerGeneration),
          positive(Duration.ofNanos(dueNanos - System.nanoTime())));
    }
    return effects.none();
  }

  private Effect<Event, CallState> onHeard(CallState state, LiveSignal.Heard heard) {
    String text = heard.text().trim();
    if (text.isEmpty()) {
      return effects.none();
    }
    send(ServerMessages.transcript("user", heard.isFinal(), text));
    if (heard.isFinal() && !speechEndedSinceTurn) {
      // Transcribers give finals only after speech ends: this one is late, for speech whose turn
      // was already taken. Kept, it would open the next turn with its words and its start time.
      context.getLog().warn("Call {}: a final transcript came after its turn was taken; not a turn: \"{}\"",
          state.call().id(), text);
      return effects.none();
    }
    if (heard.isFinal()) {
      context.getLog().debug("Call {}: final \"{}\"", state.call().id(), text);
      finals.add(text);
      finalNanos = heard.atNanos();
    }
    if (interruptible() && turn.interruptWords() > 0 && words(text) >= turn.interruptWords()) {
      return interrupt(state);
    }
    if (heard.isFinal() && endpointDue) {
      return takeTurn(state);
    }
    if (heard.isFinal()) {
      speculate(state);
    }
    return effects.none();
  }

  /**
   * The turn will most likely be these words: while the endpointing wait runs, the model and the
   * voice start on them, held, so the reply can be heard the moment the turn is decided. Speech
   * or another final before then drops it (nothing of it was heard, written or shown).
   */
  private void speculate(CallState state) {
    dropSpeculation();
    if (!deps.settings().speculativeReplies() || userSpeaking || reply != null || responsePending
        || connection == null) {
      return;
    }
    String text = String.join(" ", finals);
    CallState answered = state.apply(new CallEntity.UserSpoke(text, now(), now()));
    Resolved providers = resolved();
    ModelRequest request = new ModelRequest(assistant.path("model"), ModelContext.messages(answered),
        ModelContext.tools(assistant));
    int id = ++replies;
    long startNanos = System.nanoTime();
    speculation = new Speculation(ReplyStream.ofModel(id, providers.model(), request, providers.modelFailure(),
        providers.voice(), output(id), context.getSelf(), deps.materializer(), true), text, startNanos);
  }

  private void dropSpeculation() {
    if (speculation != null) {
      CallMetrics.speculativeReply(false);
      speculation.stream().stop();
      speculation = null;
    }
  }

  private Effect<Event, CallState> onTick(CallState state, LiveSignal.Tick tick) {
    switch (tick.what()) {
      case ENDPOINT:
        if (tick.generation() != timerGeneration || userSpeaking) {
          return effects.none();
        }
        endpointDue = true;
        return finals.isEmpty() ? effects.none() : takeTurn(state);
      case INTERRUPT:
        return tick.generation() == timerGeneration && userSpeaking && interruptible()
            ? interrupt(state) : effects.none();
      case SILENCE:
        if (tick.generation() != silenceGeneration) {
          return effects.none();
        }
        if (reply != null || userSpeaking) {
          armSilence();
          return effects.none();
        }
        return endCall(state, "silence-timed-out");
      case MAX_DURATION:
        return endCall(state, "exceeded-max-duration");
      case RECONNECT_PROMPT:
        if (connection != null && reply == null && !userSpeaking && finals.isEmpty()
            && !ModelContext.awaitsReply(state)) {
          context.getLog().info("Call {}: the reconnect prompt plays to connection {}", state.call().id(),
              connection.id());
          speak(deps.settings().reconnectPrompt(), RECONNECT_PROMPT, null);
        }
        return effects.none();
      default:
        return tick.what().startsWith(END_PREFIX) ? endCall(state, tick.what().substring(END_PREFIX.length()))
            : effects.none();
    }
  }

  /** The caller's turn is over: persist it, then answer it (or queue the answer behind an unstoppable reply). */
  private Effect<Event, CallState> takeTurn(CallState state) {
    long decided = System.nanoTime();
    String text = String.join(" ", finals);
    Instant startedAt = instantOf(speechStartNanos);
    Instant endedAt = instantOf(lastVoiceNanos);
    TurnTimer timing = new TurnTimer(lastVoiceNanos, finalNanos, decided, 0, 0);
    context.getLog().debug("Call {}: the caller's turn is taken: \"{}\"", state.call().id(), text);
    resetUserTurn();
    CallEntity.UserSpoke spoke = new CallEntity.UserSpoke(text, startedAt, endedAt);
    turnTimer = timing;
    if (reply != null) {
      dropSpeculation();
      responsePending = true;
    } else if (speculation != null && speculation.text().equals(text)) {
      release(speculation);
    } else {
      dropSpeculation();
      // the model starts while the turn is written to the journal: the write is off the critical path
      respond(state.apply(spoke));
    }
    return effects.persist(spoke).thenRun(this::sendConversationUpdate);
  }

  private Effect<Event, CallState> interrupt(CallState state) {
    if (reply == null || reply.stopped()) {
      return effects.none();
    }
    backoffUntilNanos = System.nanoTime() + turn.interruptBackoff().toNanos();
    responsePending = false;
    boolean playing = reply.playback().started();
    stopReplyKeepingHeard();
    if (playing) {
      send(ServerMessages.userInterrupted());
    }
    return effects.persist(drainPending()).thenRun(this::sendConversationUpdate);
  }

  // ---- the assistant's speech ----

  private void respond(CallState state) {
    responsePending = false;
    Resolved providers = resolved();
    ModelRequest request = new ModelRequest(assistant.path("model"), ModelContext.messages(state),
        ModelContext.tools(assistant));
    int id = ++replies;
    turnTimer = new TurnTimer(turnTimer.speechEndNanos(), turnTimer.finalNanos(), turnTimer.decidedNanos(),
        System.nanoTime(), 0);
    startReply(ReplyStream.ofModel(id, providers.model(), request, providers.modelFailure(), providers.voice(),
        output(id), context.getSelf(), deps.materializer(), false), "model", null);
  }

  private void speak(String text, String source, String endReasonAfter) {
    stopReply();
    turnTimer = TurnTimer.NONE;
    int id = ++replies;
    startReply(ReplyStream.ofText(id, text, resolved().voice(), output(id), context.getSelf(), deps.materializer()),
        source, endReasonAfter);
  }

  /** The held reply answers the turn just taken: what its streams did so far reaches the call, and its audio starts. */
  private void release(Speculation held) {
    speculation = null;
    CallMetrics.speculativeReply(true);
    turnTimer = new TurnTimer(turnTimer.speechEndNanos(), turnTimer.finalNanos(), turnTimer.decidedNanos(),
        held.modelStartNanos(), 0);
    startReply(held.stream(), "model", null);
    held.stream().release();
  }

  private void startReply(ReplyStream stream, String source, String endReasonAfter) {
    dropSpeculation();
    timers.cancel(RECONNECT_PROMPT);
    reply = stream;
    replySource = source;
    replyStartedAt = null;
    afterReplyEndReason = endReasonAfter;
  }

  private Effect<Event, CallState> onToolCall(ChatMessage.ToolCall call) {
    Instant at = now();
    String result;
    if (ModelContext.END_CALL.equals(call.name())) {
      afterReplyEndReason = "assistant-ended-call";
      result = "The call is ending.";
    } else {
      result = "Tool \"" + call.name() + "\" has no handler on this platform yet.";
    }
    return effects.persist(List.of(
        new CallEntity.ToolCalled(call.id(), call.name(), call.arguments(), at),
        new CallEntity.ToolResultRecorded(call.id(), call.name(), result, at)));
  }

  private Effect<Event, CallState> onReplyDone(CallState state) {
    ReplyStream done = reply;
    String source = replySource;
    String endReason = afterReplyEndReason;
    Event spoken = spokenEvent(done, false, done.playback().fullText());
    reply = null;
    armSilence();
    List<Event> events = spoken == null ? List.of() : List.of(spoken);
    return effects.persist(events).thenRun(s -> {
      if (spoken != null) {
        if (done.playback().started()) {
          send(ServerMessages.speechUpdate("stopped", "assistant", done.id()));
          send(ServerMessages.transcript("assistant", true, done.playback().fullText()));
        }
        sendConversationUpdate(s);
      }
      afterReply(s, source, endReason, done.playback().fullText());
    });
  }

  private void afterReply(CallState state, String source, String endReason, String text) {
    if (endReason == null && turn.saysEndCallPhrase(text)) {
      endReason = "assistant-said-end-call-phrase";
    }
    if (endReason != null) {
      if (!turn.endCallMessage().isEmpty() && !"end-call-message".equals(source)
          && !"assistant-ended-call-after-message-spoken".equals(endReason)) {
        speak(turn.endCallMessage(), "end-call-message", endReason);
      } else {
        context.getSelf().tell(new LiveSignal.Tick(END_PREFIX + endReason, 0));
      }
      return;
    }
    if (responsePending) {
      respond(state);
    }
  }

  /** The reply as the caller heard it; null when nothing was said. */
  private Event spokenEvent(ReplyStream stream, boolean interrupted, String heardText) {
    String full = stream.playback().fullText();
    if (full.isEmpty() && heardText.isEmpty()) {
      return null;
    }
    Instant start = replyStartedAt != null ? replyStartedAt : now();
    long heardMs = stream.playback().heardMs(System.nanoTime());
    Instant end = interrupted ? start.plusMillis(heardMs) : now();
    TurnLatency latency = latency(stream);
    if (latency != null) {
      CallMetrics.turnLatency(latency.turnMs());
    }
    return new CallEntity.AssistantSpoke(full, heardText, interrupted, start, end, replySource, latency);
  }

  /** Counts this call among the node's live calls, once. */
  private void countLive() {
    if (!countedLive) {
      CallMetrics.callStarted();
      countedLive = true;
    }
  }

  private TurnLatency latency(ReplyStream stream) {
    TurnTimer t = turnTimer;
    if (t.speechEndNanos() == 0 || !stream.playback().started()) {
      return null;
    }
    long firstAudio = stream.playback().firstFrameNanos();
    long firstToken = t.firstTokenNanos() != 0 ? t.firstTokenNanos() : firstAudio;
    return new TurnLatency(
        millis(t.decidedNanos() - t.speechEndNanos()),
        millis(t.finalNanos() - t.speechEndNanos()),
        millis(firstToken - t.modelStartNanos()),
        millis(firstAudio - firstToken),
        millis(firstAudio - t.speechEndNanos()));
  }

  private final List<Event> pendingEvents = new ArrayList<>();

  /** Stops the reply now and queues the event of what the caller heard of it. */
  private void stopReplyKeepingHeard() {
    if (reply == null) {
      return;
    }
    ReplyStream stopped = reply;
    stopped.stop();
    String heard = stopped.playback().heardText(stopped.playback().heardMs(System.nanoTime()));
    Event spoken = spokenEvent(stopped, true, heard);
    reply = null;
    afterReplyEndReason = null;
    if (spoken != null) {
      pendingEvents.add(spoken);
      // a reply stopped before its first frame was never started for the caller: nothing to take back
      if (stopped.playback().started()) {
        send(ServerMessages.speechUpdate("stopped", "assistant", stopped.id()));
        send(ServerMessages.transcript("assistant", true, heard));
      }
    }
  }

  private List<Event> drainPending() {
    List<Event> events = new ArrayList<>(pendingEvents);
    pendingEvents.clear();
    return events;
  }

  private void stopReply() {
    if (reply != null) {
      reply.stop();
      reply = null;
    }
  }

  // ---- ending ----

  private Effect<Event, CallState> endCall(CallState state, String reason) {
    dropSpeculation();
    stopReplyKeepingHeard();
    List<Event> events = drainPending();
    events.add(ended(reason, now()));
    return effects.persist(events).thenRun(this::finished);
  }

  private void finished(CallState state) {
    timers.cancelAll();
    armIdleStop();
    countLive();
    CallMetrics.callEnded(state.endedReason());
    countedLive = false;
    if (connection != null) {
      send(ServerMessages.statusUpdate(CallStatus.ENDED.wireName(), state.endedReason()));
      send(ServerMessages.endOfCallReport(state));
      connection.close(CallerOutput.CLOSE_CALL_ENDED, "call ended: " + state.endedReason());
      logLetGo(connection, "the call ended");
      connection = null;
    }
  }

  private static CallEntity.CallEnded ended(String reason, Instant at) {
    return new CallEntity.CallEnded(reason, at);
  }

  // ---- helpers ----

  private int silenceGeneration;

  private void armSilence() {
    timers.startSingleTimer(SILENCE, new LiveSignal.Tick(SILENCE, ++silenceGeneration), turn.silenceTimeout());
  }

  private boolean interruptible() {
    return reply != null && !reply.stopped()
        && (!"first-message".equals(replySource) || turn.firstMessageInterruptible());
  }

  private void resetUserTurn() {
    finals.clear();
    speechEndedSinceTurn = false;
    endpointDue = false;
    userSpeaking = false;
    timers.cancel(ENDPOINT);
    timers.cancel(INTERRUPT);
  }

  private void logLetGo(CallConnection let, String why) {
    if (let != null) {
      context.getLog().info("Call {}: connection {} let go ({}): {}", context.getSelf().path().name(), let.id(), why,
          let.outputSummary());
    }
  }

  private boolean isCurrent(String connectionId) {
    return connection != null && connection.id().equals(connectionId);
  }

  private boolean isCurrentReply(int replyId) {
    return reply != null && reply.id() == replyId;
  }

  private void send(String json) {
    if (connection != null) {
      connection.message(json);
    }
  }

  /**
   * After a write: the messages as they now are, and a checkpoint unless the caller has speech that
   * no write holds yet (a turn under way, or one that barged in): the caller's node keeps that
   * input, to send it again if this node dies.
   */
  private void sendConversationUpdate(CallState state) {
    if (connection != null) {
      connection.message(ServerMessages.conversationUpdate(state));
      if (!userSpeaking && finals.isEmpty() && !speechEndedSinceTurn) {
        connection.checkpoint();
      }
    }
  }

  /** Where the reply numbered {@code replyId} sends its frames. */
  private ReplyStream.Output output(int replyId) {
    CallConnection target = connection;
    int lookahead = deps.settings().lookaheadFrames();
    String started = ServerMessages.speechUpdate("started", "assistant", replyId);
    return new ReplyStream.Output() {
      @Override
      public int lookaheadFrames() {
        return lookahead;
      }

      // On the frames' own queue, so the caller learns of the speech before its first frame.
      @Override
      public void speechStarted() {
        if (target != null) {
          target.message(started);
        }
      }

      @Override
      public void audio(org.apache.pekko.util.ByteString frame) {
        if (target != null) {
          target.audio(frame);
        }
      }
    };
  }

  private void loadAssistant(CallState state) {
    if (assistant == null) {
      assistant = ServerMessages.parse(state.call().assistantJson());
      turn = TurnSettings.of(assistant);
    }
  }

  private static int words(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  private static long millis(long nanos) {
    return Math.max(0, nanos / 1_000_000);
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() || duration.isZero() ? Duration.ofMillis(1) : duration;
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A System.nanoTime reading as wall-clock time. */
  private static Instant instantOf(long nanos) {
    return Instant.now().minusNanos(System.nanoTime() - nanos).truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- providers ----

  private record Resolved(LanguageModel model, String modelFailure, ReplyStream.Voice voice) {}

  private static final class UnresolvedProvider extends RuntimeException {
    final String endedReason;

    UnresolvedProvider(String endedReason, String message) {
      super(message);
      this.endedReason = endedReason;
    }
  }

  private Resolved resolved() {
    Providers providers = deps.providers();
    JsonNode model = assistant.path("model");
    JsonNode voice = assistant.path("voice");
    String modelName = model.path("provider").asText("parley-scripted");
    String voiceName = voice.path("provider").asText("parley-flite");
    LanguageModel llm = providers.model(modelName).orElseThrow(() -> new UnresolvedProvider(
        FailureReasons.model(modelName), "model provider " + modelName + " is not available"));
    TextToSpeech tts = providers.voice(voiceName).orElseThrow(() -> new UnresolvedProvider(
        FailureReasons.voice(voiceName), "voice provider " + voiceName + " is not available"));
    return new Resolved(llm, FailureReasons.model(modelName), new ReplyStream.Voice(tts, voice,
        FailureReasons.voice(voiceName)));
  }

  private CallConnection.Transcription transcription() {
    Providers providers = deps.providers();
    resolved(); // fail the attach now, not mid-call, when the assistant names providers we lack
    JsonNode transcriber = assistant.path("transcriber");
    String name = transcriber.path("provider").asText("parley-pocketsphinx");
    SpeechToText stt = providers.transcriber(name).orElseThrow(() -> new UnresolvedProvider(
        FailureReasons.transcriber(name), "transcriber provider " + name + " is not available"));
    if (providers.vad() == null) {
      throw new UnresolvedProvider("pipeline-error-custom-transcriber-failed",
          "no voice activity detector is available on this node (see its start-up log)");
    }
    LiveSettings s = deps.settings();
    return new CallConnection.Transcription(stt, transcriber, FailureReasons.transcriber(name), providers.vad(),
        s.vadStartFrames(), s.vadHangoverMs(), s.vadPreRollMs(), s.speechDispatcher());
  }
}
