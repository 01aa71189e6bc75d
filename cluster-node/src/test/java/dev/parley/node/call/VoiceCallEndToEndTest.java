package dev.parley.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.parley.call.CallEntity;
import dev.parley.call.providers.ProviderCatalog;
import dev.parley.call.providers.silero.SileroVad;
import dev.parley.call.speech.WordErrorRate;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.CloseStatus;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.ReceivedFrame;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.SpokenTurn;
import dev.parley.loadtest.robot.Utterance;
import dev.parley.loadtest.robot.WireFormat;
import dev.parley.node.testing.TestNode;
import dev.parley.registry.keys.KeyKind;

/**
 * Whole calls on a node with the real embedded Cassandra and the offline providers: a robot caller
 * speaks flite sentences in real time over the vapi.websocket transport and listens to what comes
 * back with PocketSphinx.
 */
class VoiceCallEndToEndTest {

  private static final String[] TURNS = {
      "what is the weather like today", "and what about tomorrow", "should i bring an umbrella"};
  private static final String[] REPLIES = {
      Assistants.WEATHER_REPLY, Assistants.TOMORROW_REPLY, Assistants.UMBRELLA_REPLY};

  private static final int STORY_LENGTH = Assistants.STORY_REPLY.length();

  private static TestNode node;
  private static ParleyApi api;
  private static CallerVoice voice;
  private static Transcriber ear;
  private static FailingSpeechServer failingSpeech;

  @BeforeAll
  static void start() throws Exception {
    failingSpeech = new FailingSpeechServer(1);
    Path dir = Files.createTempDirectory("parley-voice-e2e");
    node = TestNode.start("voice_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), dir,
        Map.of("parley.call-actors.providers.openai.base-url", failingSpeech.baseUrl(),
            "parley.call-actors.providers.openai.api-key", "sk-loopback"));
    String org = UUID.randomUUID().toString();
    api = new ParleyApi(URI.create("http://127.0.0.1:" + node.port), node.issue(org, KeyKind.PRIVATE));
    voice = new CallerVoice("rms");
    ear = new Transcriber(ProviderCatalog.create(node.node.system()).transcriber("parley-pocketsphinx").orElseThrow(),
        node.node.system());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    if (failingSpeech != null) {
      failingSpeech.close();
    }
  }

  @Test
  void threeTurnsAnsweredInVoiceThenTheCallerHangsUp() throws Exception {
    String assistantId = api.createAssistant(Assistants.weatherDesk());
    List<String> heardUser = new ArrayList<>();
    List<String> heardReplies = new ArrayList<>();
    String callId;
    try (RobotCaller robot = RobotCaller.dial(api, assistantId, RobotOptions.defaults())) {
      callId = robot.callId();
      Utterance first = robot.awaitReplyFinished();
      assertWer(Assistants.FIRST_MESSAGE, ear.transcribe(first.pcm16k(WireFormat.PCM_16K)), 0.2, "first message");
      for (int i = 0; i < TURNS.length; i++) {
        int seen = robot.recording().messages().size();
        robot.say(voice.pcm(TURNS[i]));
        ReceivedMessage transcript = awaitFinal(robot, "user", seen);
        heardUser.add(transcript.json().path("transcript").asText());
        assertWer(TURNS[i], heardUser.get(i), 0.10, "caller turn " + i);
        Utterance reply = robot.awaitReplyFinished();
        String replyHeard = ear.transcribe(reply.pcm16k(WireFormat.PCM_16K));
        heardReplies.add(replyHeard);
        assertWer(REPLIES[i], replyHeard, 0.2, "reply " + i);
      }
      robot.endCall();
      CloseStatus closed = robot.awaitClosed();
      assertEquals(1000, closed.code(), robot.recording().summary());
      ReceivedMessage ended = lastOfType(robot, "status-update");
      assertEquals("ended", ended.json().path("status").asText());
      assertEquals("customer-ended-call", ended.json().path("endedReason").asText());
      assertEquals("customer-ended-call", lastOfType(robot, "end-of-call-report").json().path("endedReason").asText());
    }
    JsonNode call = api.getCall(callId);
    assertEquals("ended", call.path("status").asText());
    assertEquals("customer-ended-call", call.path("endedReason").asText());
    List<String> said = new ArrayList<>();
    long previous = 0;
    for (JsonNode message : call.path("messages")) {
      said.add(message.path("role").asText() + ": " + message.path("message").asText());
      assertTrue(message.path("time").asLong() >= previous, "messages in time order: " + call.path("messages"));
      previous = message.path("time").asLong();
    }
    assertEquals(List.of(
        "bot: " + Assistants.FIRST_MESSAGE,
        "user: " + heardUser.get(0), "bot: " + REPLIES[0],
        "user: " + heardUser.get(1), "bot: " + REPLIES[1],
        "user: " + heardUser.get(2), "bot: " + REPLIES[2]), said);
    JsonNode turns = call.path("artifact").path("performanceMetrics").path("turnLatencies");
    assertEquals(3, turns.size(), call.path("artifact").toString());
    for (JsonNode turn : turns) {
      assertTrue(turn.path("turnLatency").asDouble() > 0, turn.toString());
      assertTrue(turn.path("endpointingLatency").asDouble() >= 0, turn.toString());
    }
    assertTrue(call.path("artifact").path("transcript").asText().startsWith("AI: " + Assistants.FIRST_MESSAGE),
        call.path("artifact").path("transcript").asText());
  }

  /**
   * Telephone audio through the mu-law transport both ways. PocketSphinx's model is wideband, so
   * 8 kHz speech is heard less well: the inbound check is that speech of the right length got
   * through (a wrong rate or a broken codec gives silence or noise), and that the reply comes back
   * as 20 ms mu-law frames of audible speech of a sentence's length. The codec and resampler have
   * exact tests of their own.
   */
  @Test
  void aPhoneQualityMulawCallerIsHeardAndAnsweredInMulaw() throws Exception {
    String assistantId = api.createAssistant(Assistants.weatherDesk());
    try (RobotCaller robot = RobotCaller.dial(api, assistantId,
        RobotOptions.defaults().withFormat(WireFormat.MULAW_8K))) {
      robot.awaitReplyFinished();
      int seen = robot.recording().messages().size();
      robot.say(voice.pcm(TURNS[0]));
      String heard = awaitFinal(robot, "user", seen).json().path("transcript").asText();
      int words = heard.isBlank() ? 0 : heard.trim().split("\\s+").length;
      assertTrue(words >= 3 && words <= 9, "a six-word sentence over mu-law was heard as \"" + heard + "\"");
      Utterance reply = robot.awaitReplyFinished();
      assertEquals(160, reply.frames().get(0).length(), "20 ms mu-law frames");
      byte[] pcm = reply.pcm16k(WireFormat.MULAW_8K);
      double seconds = pcm.length / 2.0 / 16_000;
      assertTrue(seconds > 0.8 && seconds < 6, "a one-sentence reply lasted " + seconds + " s");
      assertTrue(rms(pcm) > 300, "the reply is audible: RMS " + rms(pcm));
      String heardBack = ear.transcribe(pcm);
      assertFalse(heardBack.isBlank(), "the reply's mu-law audio is speech");
      robot.endCall();
      robot.awaitClosed();
    }
  }

  @Test
  void aProviderThatFailsMidCallEndsItWithAPipelineErrorAndTheNodeServesTheNextCall() throws Exception {
    var assistant = Assistants.weatherDesk();
    assistant.set("voice", Assistants.parse("{\"provider\": \"openai\", \"voiceId\": \"alloy\"}"));
    String assistantId = api.createAssistant(assistant);
    String callId;
    try (RobotCaller robot = RobotCaller.dial(api, assistantId, RobotOptions.defaults())) {
      callId = robot.callId();
      robot.awaitReplyFinished(); // the first message: the loopback voice's one good answer
      robot.say(voice.pcm(TURNS[0]));
      robot.awaitClosed();
      ReceivedMessage ended = lastOfType(robot, "status-update");
      assertEquals("pipeline-error-openai-voice-failed", ended.json().path("endedReason").asText(),
          robot.recording().summary());
    }
    assertEquals("pipeline-error-openai-voice-failed", api.getCall(callId).path("endedReason").asText());
    assertTrue(failingSpeech.requests() >= 2);

    String healthyId = api.createAssistant(Assistants.weatherDesk());
    try (RobotCaller robot = RobotCaller.dial(api, healthyId, RobotOptions.defaults())) {
      robot.awaitReplyFinished();
      robot.say(voice.pcm(TURNS[0]));
      Utterance reply = robot.awaitReplyFinished();
      assertWer(REPLIES[0], ear.transcribe(reply.pcm16k(WireFormat.PCM_16K)), 0.2, "reply after a failed call");
      robot.endCall();
      robot.awaitClosed();
    }
  }

  @Test
  void theCallerTalksOverALongReplyAndOnlyWhatWasHeardIsKept() throws Exception {
    var assistant = Assistants.weatherDesk();
    assistant.set("stopSpeakingPlan", json("{\"numWords\": 0, \"voiceSeconds\": 0.2, \"backoffSeconds\": 1}"));
    String assistantId = api.createAssistant(assistant);
    byte[] interruption = Speech.trimLeadingSilence(voice.pcm("okay stop please"));
    // the caller's voice begins where a voice detector hears it, a few frames into the sound
    long onsetMs = Speech.voiceOnsetMs(SileroVad.create(node.node.system()), interruption);
    String callId;
    try (RobotCaller robot = RobotCaller.dial(api, assistantId, RobotOptions.defaults())) {
      callId = robot.callId();
      robot.awaitReplyFinished();
      robot.say(voice.pcm("tell me a story"));
      long storyStart = robot.awaitReplyStarted();
      int turn = robot.bargeIn(interruption, Duration.ofMillis(2500));
      SpokenTurn bargeIn = robot.awaitSpoken(turn);
      ReceivedMessage interrupted = robot.awaitMessage("user-interrupted", 0);
      ReceivedMessage finalTranscript = awaitFinal(robot, "user", indexOf(robot, interrupted));
      List<ReceivedFrame> story = robot.recording().framesBetween(storyStart, interrupted.atNanos());
      long voiceStarted = bargeIn.firstFrameNanos() + onsetMs * 1_000_000;
      long stopMs = (story.get(story.size() - 1).atNanos() - voiceStarted) / 1_000_000;
      ReceivedMessage heardSpeaking = robot.recording().speechUpdateSince("user", "started", bargeIn.firstFrameNanos());
      System.out.printf("barge-in: caller speech seen after %d ms, user-interrupted after %d ms, last frame of the old"
          + " reply %d ms after the caller's voice began (stop delay 200 ms)%n",
          (heardSpeaking.atNanos() - voiceStarted) / 1_000_000,
          (interrupted.atNanos() - voiceStarted) / 1_000_000, stopMs);
      // the configured stop delay plus one frame, plus slack for a loaded two-core machine's scheduling
      assertTrue(stopMs <= 200 + 20 + 150, "old reply still playing " + stopMs + " ms into the barge-in");
      assertEquals(List.of(), robot.recording().framesBetween(interrupted.atNanos() + 1, finalTranscript.atNanos()),
          "audio of the old reply after the caller's turn began");
      robot.awaitReplyFinished(); // the answer to "stop please"
      robot.endCall();
      robot.awaitClosed();
    }
    CallEntity.AssistantSpoke cut = CallJournal.events(node.node.system(), callId).stream()
        .filter(CallEntity.AssistantSpoke.class::isInstance).map(CallEntity.AssistantSpoke.class::cast)
        .filter(CallEntity.AssistantSpoke::interrupted).findFirst().orElseThrow();
    assertEquals(Assistants.STORY_REPLY, cut.fullText(), "the model wrote it all before the barge-in");
    assertFalse(cut.heardText().isBlank(), "2.5 s of the story were heard");
    assertTrue(cut.fullText().startsWith(cut.heardText()) && cut.heardText().length() < STORY_LENGTH,
        cut.heardText());
    List<String> bot = new ArrayList<>();
    for (JsonNode message : api.getCall(callId).path("messages")) {
      if ("bot".equals(message.path("role").asText())) {
        bot.add(message.path("message").asText());
      }
    }
    assertTrue(bot.contains(cut.heardText()), "the call's messages keep what was heard: " + bot);
    assertFalse(bot.contains(Assistants.STORY_REPLY), bot.toString());
  }

  @Test
  void silenceEndsTheCallAfterTheTimeout() {
    var assistant = Assistants.weatherDesk();
    assistant.put("silenceTimeoutSeconds", 10);
    assertEndsSilently(assistant, "silence-timed-out");
  }

  @Test
  void aCallEndsAtItsMaximumDuration() {
    var assistant = Assistants.weatherDesk();
    assistant.put("maxDurationSeconds", 10);
    assertEndsSilently(assistant, "exceeded-max-duration");
  }

  @Test
  void anEndCallPhraseSaidByTheAssistantEndsTheCall() {
    var assistant = Assistants.weatherDesk();
    ((com.fasterxml.jackson.databind.node.ArrayNode) assistant.path("model").path("script").path("rules"))
        .add(json("{\"keywords\": [\"thank\", \"thanks\", \"much\"], \"reply\": \"You are welcome, have a nice day.\"}"));
    assistant.set("endCallPhrases", json("[\"have a nice day\"]"));
    String assistantId = api.createAssistant(assistant);
    try (RobotCaller robot = RobotCaller.dial(api, assistantId, RobotOptions.defaults())) {
      robot.awaitReplyFinished();
      robot.say(voice.pcm("thank you very much"));
      robot.awaitClosed();
      assertEquals("assistant-said-end-call-phrase", lastOfType(robot, "status-update").json().path("endedReason")
          .asText(), robot.recording().summary());
      assertEquals("assistant-said-end-call-phrase", api.getCall(robot.callId()).path("endedReason").asText());
    }
  }

  private static void assertEndsSilently(com.fasterxml.jackson.databind.node.ObjectNode assistant, String reason) {
    String assistantId = api.createAssistant(assistant);
    try (RobotCaller robot = RobotCaller.dial(api, assistantId,
        RobotOptions.defaults().withWaitTimeout(Duration.ofSeconds(40)))) {
      robot.awaitReplyFinished();
      CloseStatus closed = robot.awaitClosed();
      assertEquals(1000, closed.code());
      assertEquals(reason, lastOfType(robot, "status-update").json().path("endedReason").asText(),
          robot.recording().summary());
      assertEquals(reason, api.getCall(robot.callId()).path("endedReason").asText());
    }
  }

  private static int indexOf(RobotCaller robot, ReceivedMessage message) {
    return robot.recording().messages().indexOf(message);
  }

  private static double rms(byte[] pcm) {
    double sum = 0;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      double sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
      sum += sample * sample;
    }
    return Math.sqrt(sum / (pcm.length / 2.0));
  }

  static ReceivedMessage awaitFinal(RobotCaller robot, String role, int fromIndex) {
    return robot.recording().await(() -> {
      List<ReceivedMessage> all = robot.recording().messages();
      for (int i = fromIndex; i < all.size(); i++) {
        JsonNode json = all.get(i).json();
        if ("transcript".equals(all.get(i).type()) && role.equals(json.path("role").asText())
            && "final".equals(json.path("transcriptType").asText())) {
          return all.get(i);
        }
      }
      return null;
    }, java.time.Duration.ofSeconds(30), "a final " + role + " transcript");
  }

  /**
   * The assistant's final transcript answering the first user turn heard from {@code fromIndex}. The
   * previous reply's final transcript may arrive after its speech stopped, so it is skipped by
   * looking only after the user's final.
   */
  static ReceivedMessage awaitReplyFinal(RobotCaller robot, int fromIndex) {
    ReceivedMessage user = awaitFinal(robot, "user", fromIndex);
    return awaitFinal(robot, "assistant", robot.recording().messages().indexOf(user) + 1);
  }

  static ReceivedMessage lastOfType(RobotCaller robot, String type) {
    List<ReceivedMessage> messages = robot.messages(type);
    assertFalse(messages.isEmpty(), "no " + type + " message: " + robot.recording().summary());
    return messages.get(messages.size() - 1);
  }

  static void assertWer(String expected, String heard, double max, String what) {
    double wer = WordErrorRate.of(expected, heard);
    assertTrue(wer <= max, what + ": expected \"" + expected + "\", heard \"" + heard + "\" (WER " + wer + ")");
  }

  static JsonNode json(String text) {
    try {
      return Assistants.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }
}
