package dev.parley.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.ReceivedMessage;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/**
 * A node's actor system stops in the middle of a call and starts again: the call entity replays
 * its journal, the caller reconnects, and the conversation goes on with the earlier turns in the
 * model's context.
 */
class CallRecoveryTest {

  @Test
  void aCallGoesOnAfterItsNodeRestarts() throws Exception {
    String keyspace = TestCassandra.uniqueKeyspace("callrecovery");
    Path dataDir = Files.createTempDirectory("parley-recovery");
    CallerVoice voice = new CallerVoice("rms");
    String org = UUID.randomUUID().toString();
    try (RecordingChatServer model = new RecordingChatServer()) {
      Map<String, Object> settings = Map.of("parley.call-actors.providers.openai.base-url", model.baseUrl(),
          "parley.call-actors.providers.openai.api-key", "sk-loopback");
      TestNode first = TestNode.start(keyspace, dataDir, settings);
      ParleyApi api = new ParleyApi(URI.create("http://127.0.0.1:" + first.port), first.issue(org, KeyKind.PRIVATE));
      var assistant = Assistants.weatherDesk();
      assistant.set("model", Assistants.parse("""
          {"provider": "openai", "model": "gpt-test",
           "messages": [{"role": "system", "content": "You answer weather questions."}]}"""));
      String assistantId = api.createAssistant(assistant);
      ParleyApi.CreatedCall call = api.createCall(assistantId, dev.parley.loadtest.robot.WireFormat.PCM_16K);
      String firstUser;
      try (RobotCaller robot = RobotCaller.connect(call.id(), call.websocketCallUrl(), api.http(),
          RobotOptions.defaults())) {
        robot.awaitReplyFinished();
        int seen = robot.recording().messages().size();
        robot.sayAndAwaitReply(voice.pcm("what is the weather like today"));
        firstUser = VoiceCallEndToEndTest.awaitFinal(robot, "user", seen).json().path("transcript").asText();
        first.stop();
        robot.awaitClosed();
      }

      TestNode second = TestNode.start(keyspace, dataDir, settings);
      try {
        ParleyApi again = new ParleyApi(URI.create("http://127.0.0.1:" + second.port), api.apiKey());
        assertEquals("in-progress", again.getCall(call.id()).path("status").asText());
        URI socket = URI.create(call.websocketCallUrl().toString()
            .replace(":" + first.port + "/", ":" + second.port + "/"));
        try (RobotCaller robot = RobotCaller.connect(call.id(), socket, again.http(), RobotOptions.defaults())) {
          robot.sayAndAwaitReply(voice.pcm("and what about tomorrow"));
          robot.endCall();
          robot.awaitClosed();
          List<ReceivedMessage> assistantLines = robot.messages("transcript").stream()
              .filter(m -> m.json().path("role").asText().equals("assistant")).toList();
          assertEquals("Reply number 2.", assistantLines.get(assistantLines.size() - 1).json().path("transcript")
              .asText(), "no first message again after the reconnect: " + robot.recording().summary());
        }
        assertEquals(2, model.requests.size());
        List<String> context = new ArrayList<>();
        for (JsonNode message : model.requests.get(1).path("messages")) {
          context.add(message.path("role").asText() + ": " + message.path("content").asText());
        }
        assertEquals("system: You answer weather questions.", context.get(0));
        assertEquals(List.of("assistant: " + Assistants.FIRST_MESSAGE, "user: " + firstUser,
            "assistant: Reply number 1."), context.subList(1, 4), context.toString());
        assertEquals("user", context.get(4).substring(0, 4), context.toString());

        JsonNode ended = again.getCall(call.id());
        assertEquals("customer-ended-call", ended.path("endedReason").asText());
        List<String> said = new ArrayList<>();
        for (JsonNode message : ended.path("messages")) {
          said.add(message.path("role").asText());
        }
        assertEquals(List.of("system", "bot", "user", "bot", "user", "bot"), said, ended.path("messages").toString());
        assertTrue(ended.path("messages").get(5).path("message").asText().equals("Reply number 2."));
      } finally {
        second.stop();
      }
    }
  }
}
