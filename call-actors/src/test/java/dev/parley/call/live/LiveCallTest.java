package dev.parley.call.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import dev.parley.call.CallEntity;
import dev.parley.call.CallMessage;
import dev.parley.call.CallRecord;
import dev.parley.call.CallState;
import dev.parley.call.CallStatus;
import dev.parley.call.audio.Pcm16;

/** Turn-taking of one call entity, driven in real time by a scripted caller. */
class LiveCallTest {

  private static ActorTestKit testKit;
  private static volatile Caller lastCaller;
  private static final TestProviders PROVIDERS = new TestProviders();

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(PersistenceTestKitPlugin.config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseString(
            "parley.call-actors.live { reconnect-window = 2s, connection-pickup-timeout = 2s }"))
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A caller that sends a 20 ms frame in real time, its queued speech or else silence. */
  static final class Caller {
    final Queue<ByteString> speech = new ConcurrentLinkedQueue<>();
    final Queue<Received> received = new ConcurrentLinkedQueue<>();

    @Override
    public String toString() {
      return String.join("\n", messages());
    }
    BoundedSourceQueue<CallerInput> controls;
    UniqueKillSwitch line;

    record Received(long atNanos, CallerOutput output) {}

    void say(int ms) {
      ByteString tone = TestProviders.tone(ms, 300);
      for (int i = 0; i < tone.size(); i += Pcm16.FRAME_BYTES) {
        speech.add(tone.slice(i, Math.min(tone.size(), i + Pcm16.FRAME_BYTES)));
      }
    }

    void pause(int ms) {
      for (int i = 0; i < ms / Pcm16.FRAME_MS; i++) {
        speech.add(ByteString.fromArrayUnsafe(new byte[Pcm16.FRAME_BYTES]));
      }
    }

    ByteString next() {
      ByteString frame = speech.poll();
      return frame != null ? frame : ByteString.fromArrayUnsafe(new byte[Pcm16.FRAME_BYTES]);
    }

    List<String> messages() {
      return received.stream().filter(r -> r.output() instanceof CallerOutput.Message)
          .map(r -> ((CallerOutput.Message) r.output()).json()).toList();
    }

    long audioFramesAfter(long nanos) {
      return received.stream().filter(r -> r.output() instanceof CallerOutput.Audio && r.atNanos() > nanos).count();
    }

    long lastAudioNanos() {
      return received.stream().filter(r -> r.output() instanceof CallerOutput.Audio).mapToLong(Received::atNanos)
          .max().orElse(0);
    }
  }

  private ActorRef<CallEntity.Command> newCall(String assistantJson) {
    String id = UUID.randomUUID().toString();
    ActorRef<CallEntity.Command> entity = spawnEntity(id);
    CallRecord record = new CallRecord(id, "org-1", "vapi.websocketCall", null, assistantJson, null,
        "{\"provider\":\"vapi.websocket\"}", null, null, null, Instant.now());
    var probe = testKit.<StatusReply<CallState>>createTestProbe();
    entity.tell(new CallEntity.Create(record, probe.getRef()));
    assertTrue(probe.receiveMessage(Duration.ofSeconds(5)).isSuccess());
    return entity;
  }

  private ActorRef<CallEntity.Command> spawnEntity(String id) {
    return testKit.spawn(CallEntity.create(id, testKit.system().ignoreRef(), new LiveCall.Dependencies(
        PROVIDERS.providers(), LiveSettings.of(testKit.system().settings().config()),
        Materializer.matFromSystem(testKit.system()))));
  }

  private Caller connect(ActorRef<CallEntity.Command> entity) {
    return connect(entity, null);
  }

  private Caller connect(ActorRef<CallEntity.Command> entity, CallEntity.Interruption resuming) {
    var probe = testKit.<StatusReply<MediaChannel>>createTestProbe();
    entity.tell(new CallEntity.AttachMedia("org-1", UUID.randomUUID().toString(), resuming, probe.getRef()));
    StatusReply<MediaChannel> reply = probe.receiveMessage(Duration.ofSeconds(5));
    assertTrue(reply.isSuccess(), () -> "attach refused: " + reply);
    Caller caller = run(reply.getValue());
    lastCaller = caller;
    return caller;
  }

  /** A caller on the call's streams: frames in real time, what comes back recorded. */
  private Caller run(MediaChannel channel) {
    Caller caller = new Caller();
    Materializer mat = Materializer.matFromSystem(testKit.system());
    var controls = Source.<CallerInput>queue(16).preMaterialize(mat);
    caller.controls = controls.first();
    caller.line = channel.runToCall(Source.repeat(0).throttle(1, Duration.ofMillis(Pcm16.FRAME_MS))
        .map(x -> (CallerInput) new CallerInput.Audio(caller.next().toArray()))
        .merge(controls.second(), true)
        .viaMat(KillSwitches.single(), Keep.right()), mat);
    channel.fromCall().runWith(Sink.foreach(out -> caller.received.add(
        new Caller.Received(System.nanoTime(), out))), mat);
    return caller;
  }

  private CallState state(ActorRef<CallEntity.Command> entity) {
    var probe = testKit.<StatusReply<CallState>>createTestProbe();
    entity.tell(new CallEntity.Get("org-1", probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5)).getValue();
  }

  private static void await(Duration limit, String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what + " " + lastCaller);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static boolean has(Caller caller, Predicate<String> message) {
    return caller.messages().stream().anyMatch(message);
  }

  private static final String ASSISTANT = "{\"firstMessage\":\"Hello there.\","
      + "\"model\":{\"provider\":\"test-model\"},\"voice\":{\"provider\":\"test-voice\"},"
      + "\"transcriber\":{\"provider\":\"test-stt\"},\"startSpeakingPlan\":{\"waitSeconds\":0.2},"
      + "\"stopSpeakingPlan\":{\"voiceSeconds\":0.1,\"backoffSeconds\":0.2}";

  @Test
  void answersEachTurnAndEndsOnRequest() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller caller = connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("Hello there.")));
    assertTrue(has(caller, m -> m.contains("\"status-update\"") && m.contains("in-progress")));

    PROVIDERS.heardSentences.add("what time is it");
    caller.say(600);
    await(Duration.ofSeconds(8), "reply " + caller.messages() + state(entity).messages(), () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said what time is it.")));
    CallState state = state(entity);
    CallMessage.User user = (CallMessage.User) state.messages().stream()
        .filter(CallMessage.User.class::isInstance).findFirst().orElseThrow();
    assertEquals("what time is it", user.message());
    CallMessage.Bot reply = (CallMessage.Bot) state.messages().get(state.messages().size() - 1);
    assertFalse(reply.interrupted());
    assertTrue(reply.latency() != null && reply.latency().turnMs() >= 200, () -> "latency " + reply.latency());

    caller.controls.offer(new CallerInput.Control("{\"type\":\"end-call\"}"));
    await(Duration.ofSeconds(5), "end", () -> state(entity).status() == CallStatus.ENDED);
    assertEquals("customer-ended-call", state(entity).endedReason());
    await(Duration.ofSeconds(5), "end-of-call-report", () -> has(caller, m -> m.contains("end-of-call-report")));
  }

  /**
   * A caller that gave up during the WebSocket handshake never takes up the streams the call opened
   * for it: once the pickup timeout is over that connection counts as lost, and the caller's next
   * attempt is taken instead of being refused as a second connection.
   */
  @Test
  void aConnectionNobodyPicksUpIsLostAndTheNextAttemptIsTaken() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    var abandoned = testKit.<StatusReply<MediaChannel>>createTestProbe();
    entity.tell(new CallEntity.AttachMedia("org-1", "abandoned", null, abandoned.getRef()));
    assertTrue(abandoned.receiveMessage(Duration.ofSeconds(5)).isSuccess());
    var second = testKit.<StatusReply<MediaChannel>>createTestProbe();
    entity.tell(new CallEntity.AttachMedia("org-1", "second", null, second.getRef()));
    assertEquals(CallEntity.ALREADY_CONNECTED, second.receiveMessage(Duration.ofSeconds(5)).getError().getMessage());

    await(Duration.ofSeconds(20), "the abandoned connection counted as lost", () -> state(entity).transportsAttached() == 1
        && !state(entity).status().equals(CallStatus.ENDED) && attachAccepted(entity));
    Caller caller = lastCaller;
    await(Duration.ofSeconds(5), "the call in progress on the next connection",
        () -> has(caller, m -> m.contains("\"status-update\"") && m.contains("in-progress")));
  }

  /** Tries to connect once: true (and the caller connected) if the call took it. */
  private boolean attachAccepted(ActorRef<CallEntity.Command> entity) {
    var probe = testKit.<StatusReply<MediaChannel>>createTestProbe();
    entity.tell(new CallEntity.AttachMedia("org-1", UUID.randomUUID().toString(), null, probe.getRef()));
    StatusReply<MediaChannel> reply = probe.receiveMessage(Duration.ofSeconds(5));
    if (!reply.isSuccess()) {
      assertEquals(CallEntity.ALREADY_CONNECTED, reply.getError().getMessage());
      return false;
    }
    lastCaller = run(reply.getValue());
    return true;
  }

  /** The caller's node replays input after the last checkpoint: none may come before a turn is written. */
  @Test
  void aCheckpointFollowsEachWriteAndNoneComesWhileATurnIsUnwritten() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    PROVIDERS.heardSentences.add("what time is it");
    caller.say(600);
    await(Duration.ofSeconds(8), "reply", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said what time is it.")));
    await(Duration.ofSeconds(5), "the reply written", () -> caller.messages().stream()
        .filter(m -> m.contains("\"conversation-update\"")).count() == 2);

    List<CallerOutput> outputs = caller.received.stream().map(Caller.Received::output).toList();
    int speaking = indexOf(outputs, m -> m.contains("\"speech-update\"") && m.contains("\"role\":\"user\""));
    int heard = indexOf(outputs, m -> m.contains("\"transcriptType\":\"final\"") && m.contains("\"role\":\"user\""));
    int written = indexOf(outputs, m -> m.contains("\"conversation-update\"") && m.contains("what time is it"));
    assertTrue(speaking >= 0 && speaking < heard && heard < written, () -> speaking + " " + heard + " " + written);
    assertTrue(outputs.subList(0, written).stream().noneMatch(CallerOutput.Checkpoint.class::isInstance),
        () -> "a checkpoint before the turn was written: " + outputs);
    assertEquals(new CallerOutput.Checkpoint(), outputs.get(written + 1));
    int replyWritten = indexOf(outputs.subList(written + 1, outputs.size()),
        m -> m.contains("\"conversation-update\"")) + written + 1;
    assertTrue(replyWritten > written);
    assertEquals(new CallerOutput.Checkpoint(), outputs.get(replyWritten + 1));
    assertEquals(2, outputs.stream().filter(CallerOutput.Checkpoint.class::isInstance).count());
  }

  /** A reply cut off by the caller is written while the caller's turn is not: no checkpoint until it is. */
  @Test
  void noCheckpointFollowsAReplyCutOffByATurnNotYetWritten() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    talkOverALongReply(caller);
    await(Duration.ofSeconds(8), "the second turn written", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.User u && u.message().equals("stop")));
    await(Duration.ofSeconds(5), "its conversation update", () -> has(caller,
        m -> m.contains("\"conversation-update\"") && m.contains("\"message\":\"stop\"")));

    List<CallerOutput> outputs = caller.received.stream().map(Caller.Received::output).toList();
    int interrupted = indexOf(outputs, m -> m.contains("\"user-interrupted\""));
    int cutWritten = indexOf(outputs.subList(interrupted, outputs.size()), m -> m.contains("\"conversation-update\""))
        + interrupted;
    int turnWritten = indexOf(outputs, m -> m.contains("\"conversation-update\"") && m.contains("\"message\":\"stop\""));
    assertTrue(interrupted >= 0 && interrupted < cutWritten && cutWritten < turnWritten,
        () -> interrupted + " " + cutWritten + " " + turnWritten);
    assertTrue(outputs.subList(cutWritten, turnWritten).stream().noneMatch(CallerOutput.Checkpoint.class::isInstance),
        () -> "a checkpoint while the turn that cut the reply off was not written: " + outputs);
    assertEquals(new CallerOutput.Checkpoint(), outputs.get(turnWritten + 1));
  }

  /** The caller asks for a long reply, and once it plays says "stop" over it. */
  private static void talkOverALongReply(Caller caller) {
    PROVIDERS.heardSentences.add("long story please");
    PROVIDERS.heardSentences.add("stop");
    caller.say(500);
    await(Duration.ofSeconds(8), "reply audio", () -> caller.audioFramesAfter(0) > 30);
    caller.say(800);
  }

  private static int indexOf(List<CallerOutput> outputs, Predicate<String> message) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i) instanceof CallerOutput.Message m && message.test(m.json())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The model hears "what time" at the first final, during the endpointing wait; the caller goes
   * on, so that reply is dropped unheard and the turn is answered as a whole.
   */
  @Test
  void aReplyStartedDuringTheWaitIsDroppedUnheardWhenTheCallerGoesOn() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT.replace("\"waitSeconds\":0.2", "\"waitSeconds\":2.0")
        + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    int asked = PROVIDERS.modelInputs.size();
    PROVIDERS.heardSentences.add("what time");
    PROVIDERS.heardSentences.add("is it");
    caller.say(600);
    caller.pause(600);
    caller.say(600);
    await(Duration.ofSeconds(12), "the reply", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said what time is it.")));

    assertEquals(List.of("what time", "what time is it"),
        List.copyOf(PROVIDERS.modelInputs.subList(asked, PROVIDERS.modelInputs.size())),
        "the model was asked at each final, before the turn was decided");
    // "time." ends only the dropped reply ("You said what time."): none of its output reached the caller
    assertTrue(caller.messages().stream().noneMatch(m -> m.contains("model-output") && m.contains("\"time.\"")),
        () -> "the dropped reply reached the caller: " + caller.messages());
    assertEquals(1, caller.messages().stream()
        .filter(m -> m.contains("\"speech-update\"") && m.contains("\"status\":\"started\"")
            && m.contains("\"role\":\"assistant\"")).count(), "one reply was heard");
    List<CallMessage> messages = state(entity).messages();
    assertEquals(List.of("what time is it"), messages.stream().filter(CallMessage.User.class::isInstance)
        .map(m -> ((CallMessage.User) m).message()).toList());
    assertEquals(1, messages.stream().filter(CallMessage.Bot.class::isInstance).count(), messages.toString());
    CallMessage.Bot reply = (CallMessage.Bot) messages.get(messages.size() - 1);
    assertTrue(reply.latency() != null && reply.latency().turnMs() >= 2000, () -> "latency " + reply.latency());
  }

  @Test
  void bargeInStopsTheReplyAndKeepsOnlyWhatWasHeard() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    talkOverALongReply(caller);
    long speechSent = System.nanoTime();
    await(Duration.ofSeconds(5), "user-interrupted", () -> has(caller, m -> m.contains("user-interrupted")));
    await(Duration.ofSeconds(8), "second reply", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said stop.")));
    CallMessage.Bot cut = state(entity).messages().stream().filter(CallMessage.Bot.class::isInstance)
        .map(CallMessage.Bot.class::cast).filter(CallMessage.Bot::interrupted).findFirst().orElseThrow();
    String full = "One two three four five. Six seven eight nine ten. Eleven twelve.";
    assertEquals(full, cut.fullText());
    assertTrue(full.startsWith(cut.message()) && cut.message().length() < full.length(), cut.message());
    assertEquals("stop", PROVIDERS.modelInputs.get(PROVIDERS.modelInputs.size() - 1));
    assertTrue(speechSent > 0);
  }

  /** The caller speaks while the voice is still making the reply's first audio: the caller heard none of it. */
  @Test
  void aReplyStoppedBeforeItsFirstAudioWasNeverSaid() throws InterruptedException {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT.replace("test-voice", "test-slow-voice")
        + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    PROVIDERS.heardSentences.add("hello");
    PROVIDERS.heardSentences.add("are you there");
    caller.say(500);
    await(Duration.ofSeconds(8), "the reply under way", () -> has(caller, m -> m.contains("\"model-output\"")));
    caller.say(800);
    await(Duration.ofSeconds(5), "the reply written as cut off", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.interrupted()));
    CallMessage.Bot cut = state(entity).messages().stream().filter(CallMessage.Bot.class::isInstance)
        .map(CallMessage.Bot.class::cast).findFirst().orElseThrow();
    assertEquals("", cut.message(), "heard of it");
    assertEquals("You said hello.", cut.fullText());
    assertEquals(0, caller.audioFramesAfter(0), "no audio of it");
    assertFalse(has(caller, m -> (m.startsWith("{\"type\":\"speech-update\"") || m.startsWith("{\"type\":\"transcript\""))
        && m.contains("\"role\":\"assistant\"")),
        "no speech-update nor transcript of a reply the caller never heard: " + caller.messages());
    assertFalse(has(caller, m -> m.contains("user-interrupted")), "nor an interruption of it");
    assertFalse(has(caller, m -> m.contains("{\"role\":\"assistant\",\"content\":\"\"}")),
        "nor an empty assistant message for the model: " + caller.messages());
  }

  @Test
  void aFinalThatComesAfterItsTurnWasTakenIsNotGluedOntoTheNextTurn() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    PROVIDERS.heardSentences.add("first|tail");
    caller.say(500);
    await(Duration.ofSeconds(8), "the first reply", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said first.")));
    await(Duration.ofSeconds(3), "the late final sent to the caller", () -> has(caller, m -> m.contains("tail")));
    PROVIDERS.heardSentences.add("second");
    caller.say(500);
    await(Duration.ofSeconds(8), "the second reply", () -> state(entity).messages().stream()
        .filter(CallMessage.Bot.class::isInstance).count() == 2);

    List<CallMessage.User> users = state(entity).messages().stream().filter(CallMessage.User.class::isInstance)
        .map(CallMessage.User.class::cast).toList();
    assertEquals(List.of("first", "second"), users.stream().map(CallMessage.User::message).toList());
    assertTrue(users.get(1).time().isAfter(users.get(0).endTime()), users.toString());
  }

  @Test
  void aCallRestartedBeforeItsReplyAnswersTheTurnOnResuming() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"firstMessageMode\":\"assistant-waits-for-user\"}");
    Caller caller = connect(entity);
    // the caller's turn is in the journal and its reply is not: what a crash between the two leaves
    caller.controls.offer(new CallerInput.Control("{\"type\":\"add-message\",\"triggerResponseEnabled\":false,"
        + "\"message\":{\"role\":\"user\",\"content\":\"are you still there\"}}"));
    await(Duration.ofSeconds(5), "the turn written", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.User u && u.message().equals("are you still there")));
    String id = state(entity).call().id();
    testKit.stop(entity);

    ActorRef<CallEntity.Command> restarted = spawnEntity(id);
    connect(restarted, new CallEntity.Interruption(Instant.now(), "call lost: node died"));
    await(Duration.ofSeconds(8), "the reply after resuming", () -> state(restarted).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said are you still there.")));
    List<CallMessage> messages = state(restarted).messages();
    assertEquals(1, messages.stream().filter(CallMessage.Bot.class::isInstance).count(), messages.toString());
  }

  @Test
  void aResumedCallWhoseLastTurnWasAnsweredStaysQuiet() throws InterruptedException {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("Hello there.")));
    String id = state(entity).call().id();
    testKit.stop(entity);

    ActorRef<CallEntity.Command> restarted = spawnEntity(id);
    Caller caller = connect(restarted, new CallEntity.Interruption(Instant.now(), "call lost: node died"));
    await(Duration.ofSeconds(5), "in progress again", () -> has(caller, m -> m.contains("in-progress")));
    Thread.sleep(1000);
    assertEquals(0, caller.audioFramesAfter(0), "nothing said again after resuming");
    assertEquals(1, state(restarted).messages().stream().filter(CallMessage.Bot.class::isInstance).count());
  }

  /** A caller's turn ends 5 s after its speech: whatever the test does to the call comes before that. */
  private static final String SLOW_TO_DECIDE = "{\"firstMessageMode\":\"assistant-waits-for-user\","
      + "\"model\":{\"provider\":\"test-model\"},\"voice\":{\"provider\":\"test-voice\"},"
      + "\"transcriber\":{\"provider\":\"test-stt\"},\"startSpeakingPlan\":{\"waitSeconds\":5}}";

  private static void sayAndSeeTranscribed(Caller caller, String words) {
    PROVIDERS.heardSentences.add(words);
    caller.say(500);
    await(Duration.ofSeconds(5), "the caller's words transcribed to it", () -> has(caller,
        m -> m.contains("\"transcriptType\":\"final\"") && m.contains(words)));
  }

  @Test
  void aTurnTranscribedWhenTheConnectionIsLostIsKeptAndAnsweredWhenTheCallerIsBack() {
    ActorRef<CallEntity.Command> entity = newCall(SLOW_TO_DECIDE);
    Caller caller = connect(entity);
    sayAndSeeTranscribed(caller, "cut off");
    caller.line.abort(new RuntimeException("connection reset"));
    await(Duration.ofSeconds(5), "the turn kept", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.User u && u.message().equals("cut off")));
    assertEquals(0, state(entity).messages().stream().filter(CallMessage.Bot.class::isInstance).count(),
        "nobody to answer while the caller is away");

    connect(entity);
    await(Duration.ofSeconds(8), "the answer once the caller is back", () -> state(entity).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said cut off.")));
  }

  /** Sharding's stop message for a hand-off; the entity is gone once it has written what it had to. */
  private void handOff(ActorRef<CallEntity.Command> entity) {
    var watcher = testKit.createTestProbe();
    entity.tell(new CallEntity.HandOff());
    watcher.expectTerminated(entity, Duration.ofSeconds(5));
  }

  @Test
  void aFirstMessageCutOffByAHandOffIsSaidAgainWhereTheCallGoesOn() {
    String greeting = "Hello there, thank you for calling, this greeting takes a while to say.";
    ActorRef<CallEntity.Command> entity = newCall("{\"firstMessage\":\"" + greeting + "\","
        + "\"model\":{\"provider\":\"test-model\"},\"voice\":{\"provider\":\"test-voice\"},"
        + "\"transcriber\":{\"provider\":\"test-stt\"}}");
    Caller before = connect(entity);
    await(Duration.ofSeconds(5), "the greeting playing", () -> before.audioFramesAfter(0) >= 10);
    String id = state(entity).call().id();
    handOff(entity);

    ActorRef<CallEntity.Command> moved = spawnEntity(id);
    assertTrue(ModelContext.nothingSaid(state(moved)), "a greeting cut off is not written as said");
    Caller after = connect(moved, new CallEntity.Interruption(Instant.now(), "call moved: node leaving"));
    await(Duration.ofSeconds(10), "the greeting said again, whole", () -> state(moved).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals(greeting) && !b.interrupted()));
    assertEquals(greeting.split("\\s+").length * TestProviders.WORD_MS / Pcm16.FRAME_MS, after.audioFramesAfter(0));
  }

  @Test
  void aTurnTranscribedButUndecidedAtAHandOffIsWrittenAndAnsweredWhereTheCallGoesOn() {
    ActorRef<CallEntity.Command> entity = newCall(SLOW_TO_DECIDE);
    Caller caller = connect(entity);
    sayAndSeeTranscribed(caller, "moving along");
    String id = state(entity).call().id();
    handOff(entity);

    ActorRef<CallEntity.Command> moved = spawnEntity(id);
    assertEquals(List.of("moving along"), state(moved).messages().stream().filter(CallMessage.User.class::isInstance)
        .map(m -> ((CallMessage.User) m).message()).toList());
    connect(moved, new CallEntity.Interruption(Instant.now(), "call moved: node leaving"));
    await(Duration.ofSeconds(8), "the answer where the call went on", () -> state(moved).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals("You said moving along.")));
  }

  @Test
  void aGreetingThatPlayedWholeBeforeAHandOffIsNotSaidAgain() throws InterruptedException {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller before = connect(entity);
    await(Duration.ofSeconds(5), "the greeting played", () -> before.audioFramesAfter(0) == 2 * TestProviders.WORD_MS
        / Pcm16.FRAME_MS);
    String id = state(entity).call().id();
    handOff(entity);

    ActorRef<CallEntity.Command> moved = spawnEntity(id);
    Caller after = connect(moved, new CallEntity.Interruption(Instant.now(), "call moved: node leaving"));
    await(Duration.ofSeconds(5), "in progress again", () -> has(after, m -> m.contains("in-progress")));
    Thread.sleep(1000);
    assertEquals(0, after.audioFramesAfter(0), "nothing said again");
    assertEquals(List.of("Hello there."), state(moved).messages().stream().filter(CallMessage.Bot.class::isInstance)
        .map(m -> ((CallMessage.Bot) m).message()).toList());
  }

  private static final String ASKED_AGAIN = "Sorry, I lost you for a moment. Could you say that again?";

  private static long botSaid(CallState state, String text) {
    return state.messages().stream().filter(m -> m instanceof CallMessage.Bot b && b.message().equals(text)).count();
  }

  /** Attaches a new connection once the entity has let the last one go (it refuses a second one until then). */
  private Caller connectAgain(ActorRef<CallEntity.Command> entity) {
    var probe = testKit.<StatusReply<MediaChannel>>createTestProbe();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      entity.tell(new CallEntity.AttachMedia("org-1", UUID.randomUUID().toString(), null, probe.getRef()));
      StatusReply<MediaChannel> reply = probe.receiveMessage(Duration.ofSeconds(5));
      if (reply.isSuccess()) {
        lastCaller = run(reply.getValue());
        return lastCaller;
      }
      assertEquals(CallEntity.ALREADY_CONNECTED, reply.getError().getMessage());
      assertTrue(System.nanoTime() < deadline, "the old connection was never let go");
    }
  }

  @Test
  void aCallerBackAfterTheCallsNodeDiedWhoSaysNothingIsAskedToSayItAgain() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    String id = state(entity).call().id();
    // the node died with the call and the caller's socket: the caller comes back on a new one
    testKit.stop(entity);

    ActorRef<CallEntity.Command> restarted = spawnEntity(id);
    Caller caller = connect(restarted);
    await(Duration.ofSeconds(8), "the caller asked to say it again", () -> state(restarted).messages().stream()
        .anyMatch(m -> m instanceof CallMessage.Bot b && b.message().equals(ASKED_AGAIN)
            && b.source().equals("reconnect-prompt") && !b.interrupted()));
    assertTrue(caller.audioFramesAfter(0) > 0, "the caller heard it");
    assertEquals(1, botSaid(state(restarted), "Hello there."), "the greeting is not said again");
  }

  /** A long call is rebuilt from a snapshot, after which no connection event was written. */
  @Test
  void aCallerBackAfterTheNodeOfALongCallDiedIsAskedToSayItAgain() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller first = connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    int added = 110; // past the snapshot every 100 events
    for (int i = 0; i < added; i++) {
      first.controls.offer(new CallerInput.Control("{\"type\":\"add-message\",\"triggerResponseEnabled\":false,"
          + "\"message\":{\"role\":\"system\",\"content\":\"note " + i + "\"}}"));
      int written = i + 2; // the greeting and the notes so far
      await(Duration.ofSeconds(5), "note " + i + " written", () -> state(entity).messages().size() == written);
    }
    String id = state(entity).call().id();
    testKit.stop(entity);

    ActorRef<CallEntity.Command> restarted = spawnEntity(id);
    Caller caller = connect(restarted);
    await(Duration.ofSeconds(8), "the caller asked to say it again", () -> botSaid(state(restarted), ASKED_AGAIN) == 1);
    assertTrue(caller.audioFramesAfter(0) > 0, "the caller heard it");
  }

  @Test
  void aCallerBackAfterALostConnectionWhoSpeaksAtOnceIsAnsweredNotPrompted() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller first = connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    first.line.abort(new RuntimeException("connection reset"));

    Caller back = connectAgain(entity);
    PROVIDERS.heardSentences.add("i am back");
    back.say(500);
    await(Duration.ofSeconds(8), "the answer", () -> botSaid(state(entity), "You said i am back.") == 1);
    assertEquals(0, botSaid(state(entity), ASKED_AGAIN), state(entity).messages().toString());
  }

  /** What the old connection got, or missed when it was cut, the new one is sent as the conversation so far. */
  @Test
  void aCallerBackOnANewConnectionIsSentTheConversationSoFar() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller first = connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    // closed cleanly: the call says nothing new (no reconnect prompt) that would bring an update anyway
    first.line.shutdown();

    Caller back = connectAgain(entity);

    await(Duration.ofSeconds(5), "the conversation so far", () -> has(back,
        m -> m.contains("\"conversation-update\"") && m.contains("Hello there.")));
  }

  @Test
  void aCallerBackAfterClosingCleanlyIsNotPrompted() throws InterruptedException {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    Caller first = connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    // a node that leaves closes its sockets (1012) and its callers come back: nothing was lost
    first.line.shutdown();

    Caller back = connectAgain(entity);
    await(Duration.ofSeconds(5), "in progress again", () -> has(back, m -> m.contains("in-progress")));
    Thread.sleep(2000); // twice the prompt's delay
    assertEquals(0, back.audioFramesAfter(0), "nothing said: " + state(entity).messages());
  }

  @Test
  void aCallerBackOnANewSocketAfterAHandOffIsNotPrompted() throws InterruptedException {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + "}");
    connect(entity);
    await(Duration.ofSeconds(5), "first message played", () -> botSaid(state(entity), "Hello there.") == 1);
    String id = state(entity).call().id();
    // the node left: it closed the caller's socket and handed the call over
    handOff(entity);

    ActorRef<CallEntity.Command> moved = spawnEntity(id);
    Caller back = connect(moved);
    await(Duration.ofSeconds(5), "in progress again", () -> has(back, m -> m.contains("in-progress")));
    Thread.sleep(2000); // twice the prompt's delay
    assertEquals(0, back.audioFramesAfter(0), "nothing said: " + state(moved).messages());
  }

  @Test
  void silenceEndsTheCall() {
    ActorRef<CallEntity.Command> entity = newCall(ASSISTANT + ",\"silenceTimeoutSeconds\":1.5}");
    connect(entity);
    await(Duration.ofSeconds(10), "silence timeout", () -> state(entity).status() == CallStatus.ENDED);
    assertEquals("silence-timed-out", state(entity).endedReason());
  }
}
