package dev.parley.call.providers.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.ProviderException;

/** The scripted model answers from its script, word by word, and ends the call on goodbye. */
class ScriptedModelTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Materializer materializer = Materializer.matFromSystem(testKit.system());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = """
      {"provider": "parley-scripted", "script": {
        "rules": [
          {"keywords": ["weather", "forecast"], "reply": "It is sunny today."},
          {"keywords": ["opening hours"], "reply": "We open at nine."},
          {"keywords": ["hours", "weather"], "reply": "Never chosen for the weather."}
        ],
        "fallbackReply": "Sorry, I did not catch that.",
        "greeting": "Hello! How can I help?",
        "goodbyePhrases": ["goodbye", "that's all"],
        "goodbyeReply": "Thank you for calling. Goodbye!"}}""";

  private final ScriptedModel model = new ScriptedModel(Duration.ZERO);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRuleMatchesWholeWordsAndPhrasesIgnoringCaseAndPunctuation() throws Exception {
    assertEquals(List.of(text("It"), text(" is"), text(" sunny"), text(" today.")),
        reply(MODEL, ChatMessage.user("What's the WEATHER like?")));
    assertEquals(texts("We open at nine."), reply(MODEL, ChatMessage.user("Your opening, hours... please")));
    assertEquals(texts("Sorry, I did not catch that."), reply(MODEL, ChatMessage.user("Weathering the storm")));
  }

  @Test
  void theFirstMatchingRuleInOrderWins() throws Exception {
    assertEquals(texts("It is sunny today."), reply(MODEL, ChatMessage.user("hours and weather")));
    assertEquals(texts("We open at nine."), reply(MODEL, ChatMessage.user("opening hours?")));
    assertEquals(texts("Never chosen for the weather."), reply(MODEL, ChatMessage.user("hours")));
  }

  @Test
  void onlyTheLastUserMessageCounts() throws Exception {
    assertEquals(texts("Sorry, I did not catch that."), reply(MODEL, ChatMessage.user("the weather?"),
        ChatMessage.assistant("It is sunny today."), ChatMessage.user("Something else")));
  }

  @Test
  void theGreetingOpensAConversationWithoutCallerWords() throws Exception {
    assertEquals(texts("Hello! How can I help?"), reply(MODEL, ChatMessage.system("You are a receptionist.")));
  }

  @Test
  void goodbyeSaysTheGoodbyeReplyThenCallsEndCall() throws Exception {
    List<ModelEvent> events = reply(MODEL, ChatMessage.user("What's the weather?"),
        ChatMessage.assistant("It is sunny today."), ChatMessage.user("OK, THAT'S ALL. Thanks!"));
    List<ModelEvent> expected = new ArrayList<>(texts("Thank you for calling. Goodbye!"));
    expected.add(new ModelEvent.ToolCallRequested(new ChatMessage.ToolCall("call_scripted_3", "endCall", "{}")));
    assertEquals(expected, events);
  }

  @Test
  void withoutAScriptItGreetsEchoesAndSaysGoodbye() throws Exception {
    String bare = "{\"provider\": \"parley-scripted\"}";
    assertEquals(texts(Script.DEFAULT_GREETING), reply(bare));
    assertEquals(texts("You said: Is anyone there?"), reply(bare, ChatMessage.user(" Is anyone there? ")));
    List<ModelEvent> bye = reply(bare, ChatMessage.user("bye"));
    assertEquals(texts(Script.DEFAULT_GOODBYE_REPLY), bye.subList(0, bye.size() - 1));
    assertInstanceOf(ModelEvent.ToolCallRequested.class, bye.get(bye.size() - 1));
  }

  @Test
  void theSameConversationGivesTheSameReply() throws Exception {
    ChatMessage[] conversation = {ChatMessage.user("forecast"), ChatMessage.assistant("It is sunny today."),
        ChatMessage.user("goodbye")};
    assertEquals(reply(MODEL, conversation), reply(MODEL, conversation));
    ScriptedModel configured = ScriptedModel.create(testKit.system());
    assertEquals(reply(MODEL, conversation), run(configured, request(MODEL, conversation)));
  }

  @Test
  void aMalformedScriptFailsNamingTheField() {
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> reply("{\"script\": {\"rules\": [{\"keywords\": [\"a\"], \"reply\": \"A\"}, {\"reply\": \"B\"}]}}",
            ChatMessage.user("hello")));
    ProviderException error = assertInstanceOf(ProviderException.class, failure.getCause());
    assertEquals("pipeline-error-custom-llm-llm-failed", error.endedReason());
    assertEquals("parley-scripted: model.script.rules[1].keywords must be a non-empty array of strings",
        error.getMessage());
  }

  @Test
  void cancellingStopsTheReply() throws Exception {
    String words = "word ".repeat(100).strip();
    String script = "{\"script\": {\"fallbackReply\": \"" + words + "\"}}";
    AtomicInteger emitted = new AtomicInteger();
    Pair<CompletionStage<Done>, SinkQueueWithCancel<ModelEvent>> running =
        new ScriptedModel(Duration.ofMillis(50)).complete(request(script, ChatMessage.user("hi")))
            .map(event -> {
              emitted.incrementAndGet();
              return event;
            })
            .watchTermination(Keep.right())
            .toMat(Sink.queue(), Keep.both())
            .run(materializer);
    assertEquals(java.util.Optional.of(text("word")),
        running.second().pull().toCompletableFuture().get(5, TimeUnit.SECONDS));
    running.second().cancel();
    running.first().toCompletableFuture().get(5, TimeUnit.SECONDS);
    // Uncancelled, all 100 words would have passed before the stream ended.
    assertTrue(emitted.get() < 100, "words emitted after cancelling: " + emitted.get());
  }

  private List<ModelEvent> reply(String model, ChatMessage... messages) throws Exception {
    return run(this.model, request(model, messages));
  }

  private static List<ModelEvent> run(ScriptedModel model, ModelRequest request) throws Exception {
    return model.complete(request).runWith(Sink.seq(), materializer).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static ModelRequest request(String model, ChatMessage... messages) throws Exception {
    JsonNode json = JSON.readTree(model);
    return new ModelRequest(json, List.of(messages), List.of());
  }

  private static ModelEvent text(String text) {
    return new ModelEvent.TextDelta(text);
  }

  /** The deltas of a reply: its words, each after the space before it. */
  private static List<ModelEvent> texts(String reply) {
    List<ModelEvent> deltas = new ArrayList<>();
    String[] words = reply.split(" ");
    for (int i = 0; i < words.length; i++) {
      deltas.add(text(i == 0 ? words[i] : " " + words[i]));
    }
    return deltas;
  }
}
