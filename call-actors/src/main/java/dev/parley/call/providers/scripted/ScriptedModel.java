package dev.parley.call.providers.scripted;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;

import dev.parley.call.provider.ChatMessage;
import dev.parley.call.provider.LanguageModel;
import dev.parley.call.provider.ModelEvent;
import dev.parley.call.provider.ModelRequest;
import dev.parley.call.provider.ProviderException;

/**
 * {@code model.provider = "parley-scripted"}: an offline, deterministic stand-in for a language
 * model, driven by the assistant's {@code model.script} (see {@link Script}). The reply streams as
 * word-sized text deltas, one every {@code word-interval}; a goodbye reply is followed by a call of
 * the built-in {@code endCall} tool, whether or not the assistant lists that tool.
 */
public final class ScriptedModel implements LanguageModel {

  public static final String PROVIDER = "parley-scripted";
  static final String FAILURE_REASON = "pipeline-error-custom-llm-llm-failed";
  static final String END_CALL = "endCall";
  private static final Pattern WORDS = Pattern.compile("\\s*\\S+");

  private final Duration wordInterval;

  public ScriptedModel(Duration wordInterval) {
    this.wordInterval = wordInterval;
  }

  public static ScriptedModel create(ActorSystem<?> system) {
    return new ScriptedModel(
        system.settings().config().getDuration("parley.call-actors.providers.scripted.word-interval"));
  }

  @Override
  public Source<ModelEvent, NotUsed> complete(ModelRequest request) {
    Source<ModelEvent, NotUsed> events = Source.single(request).mapConcat(ScriptedModel::events);
    return wordInterval.isZero() ? events : events.throttle(1, wordInterval);
  }

  private static List<ModelEvent> events(ModelRequest request) {
    Script.Reply reply;
    try {
      reply = Script.parse(request.model().path("script")).reply(request.messages());
    } catch (IllegalArgumentException e) {
      throw new ProviderException(FAILURE_REASON, "parley-scripted: " + e.getMessage(), e);
    }
    List<ModelEvent> events = new ArrayList<>();
    Matcher words = WORDS.matcher(reply.text());
    while (words.find()) {
      events.add(new ModelEvent.TextDelta(words.group()));
    }
    if (reply.endCall()) {
      // The id depends only on the conversation, so the same conversation gives the same call.
      String id = "call_scripted_" + request.messages().size();
      events.add(new ModelEvent.ToolCallRequested(new ChatMessage.ToolCall(id, END_CALL, "{}")));
    }
    return events;
  }
}
