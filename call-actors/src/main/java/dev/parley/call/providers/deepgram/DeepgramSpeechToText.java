package dev.parley.call.providers.deepgram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.PeerClosedConnectionException;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;
import dev.parley.call.providers.deepgram.DeepgramSession.Event;

/**
 * Deepgram's live transcription ({@code transcriber.provider = "deepgram"}) over its
 * {@code /listen} WebSocket: one socket per call, the caller's voiced audio out, interim results
 * in as partial transcripts, and one final transcript per end of speech (see
 * {@link DeepgramSession}). Any failure (refused handshake, error message, abnormal close,
 * unreachable host) fails the stream with {@code pipeline-error-deepgram-transcriber-failed}.
 */
public final class DeepgramSpeechToText implements SpeechToText {

  private static final TextMessage KEEP_ALIVE = TextMessage.create("{\"type\":\"KeepAlive\"}");
  private static final long STRICT_MILLIS = 5_000;

  private final ActorSystem<?> system;
  private final DeepgramSettings settings;

  public DeepgramSpeechToText(ActorSystem<?> system, DeepgramSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  /** The provider as configured under {@code parley.call-actors.providers.deepgram}. */
  public static DeepgramSpeechToText create(ActorSystem<?> system) {
    return new DeepgramSpeechToText(system, DeepgramSettings.fromConfig(
        system.settings().config().getConfig("parley.call-actors.providers.deepgram")));
  }

  @Override
  public Flow<SttInput, Transcript, NotUsed> open(JsonNode transcriber) {
    if (settings.apiKey().isBlank()) {
      return Flow.fromSinkAndSource(Sink.cancelled(), Source.failed(new ProviderException(
          DeepgramSession.ENDED_REASON, "No Deepgram API key is configured (set PARLEY_DEEPGRAM_API_KEY)")));
    }
    WebSocketRequest request = ListenRequest.of(settings, transcriber);
    return Flow.fromMaterializer((materializer, attributes) -> session(request, materializer))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Flow<SttInput, Transcript, NotUsed> session(WebSocketRequest request, Materializer materializer) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> outgoing =
        Source.<Message>queue(settings.sendBuffer()).preMaterialize(materializer);
    Pair<BoundedSourceQueue<Event>, Source<Event, NotUsed>> timers =
        Source.<Event>queue(16).preMaterialize(materializer);
    SharedKillSwitch end = KillSwitches.shared("deepgram-session");
    CompletableFuture<WebSocketUpgradeResponse> upgrade = new CompletableFuture<>();
    DeepgramSession session =
        new DeepgramSession(settings, outgoing.first(), timers.first(), end, materializer, upgrade);
    Source<Message, NotUsed> toDeepgram = outgoing.second().keepAlive(settings.keepAlive(), () -> KEEP_ALIVE);
    return Flow.<SttInput>create()
        .<Event>map(Event.Input::new)
        .concat(Source.single(new Event.InputDone()))
        .merge(replies(toDeepgram, request, upgrade, materializer))
        .merge(timers.second())
        .mapConcat(session::on)
        .via(end.flow())
        .mapError(new PFBuilder<Throwable, Throwable>()
            .match(ProviderException.class, e -> e)
            .match(PeerClosedConnectionException.class, e -> failure(
                "Deepgram closed the connection: " + e.closeCode() + " " + e.closeReason(), (Throwable) e))
            .matchAny(e -> failure("Deepgram connection failed: " + e.getMessage(), e))
            .build())
        .watchTermination((notUsed, done) -> {
          done.whenComplete((ok, failure) -> session.close());
          return NotUsed.getInstance();
        });
  }

  /** Deepgram's text frames as events; a refused handshake fails, a clean close ends with ServerClosed. */
  private Source<Event, NotUsed> replies(Source<Message, NotUsed> toDeepgram, WebSocketRequest request,
      CompletableFuture<WebSocketUpgradeResponse> upgrade, Materializer materializer) {
    return toDeepgram
        .viaMat(Http.get(system).webSocketClientFlow(request), Keep.right())
        .mapMaterializedValue(response -> {
          response.whenComplete((ok, failure) -> {
            if (failure != null) {
              upgrade.completeExceptionally(failure);
            } else {
              upgrade.complete(ok);
            }
          });
          return NotUsed.getInstance();
        })
        .mapAsync(1, message -> text(message, materializer))
        .filter(text -> !text.isEmpty())
        .<Event>map(json -> new Event.Reply(DeepgramReply.parse(json)))
        .concat(Source.single(new Event.ServerClosed()))
        .recoverWithRetries(1, new PFBuilder<Throwable, Source<Event, NotUsed>>()
            .matchAny(failure -> Source.completionStageSource(upgrade.handle((response, none) ->
                    Source.<Event>failed(response == null || response.isValid() ? failure : refused(response))))
                .mapMaterializedValue(ignored -> NotUsed.getInstance()))
            .build());
  }

  private static CompletionStage<String> text(Message message, Materializer materializer) {
    if (message.isText()) {
      return message.asTextMessage().toStrict(STRICT_MILLIS, materializer).thenApply(strict -> strict.text());
    }
    return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> "");
  }

  /**
   * The handshake was answered without an upgrade: its status and Deepgram's {@code dg-error}
   * header (the client does not read the body of a refused upgrade).
   */
  private static ProviderException refused(WebSocketUpgradeResponse response) {
    var http = response.response();
    return failure("Deepgram refused the connection: " + http.status().intValue() + " " + http.status().reason()
        + detail(http.getHeader("dg-error").map(h -> h.value()).orElse("")), null);
  }

  private static String detail(String text) {
    return text.isBlank() ? "" : ": " + text.strip();
  }

  private static ProviderException failure(String message, Throwable cause) {
    return new ProviderException(DeepgramSession.ENDED_REASON, message, cause);
  }
}
