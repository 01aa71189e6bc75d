package dev.parley.loadtest.loopback;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.Materializer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Loopback providers with no thinking time, for benchmarks that should measure the platform and
 * not a model: OpenAI chat completions and speech, and Deepgram's live {@code /v1/listen}, each
 * on its real wire protocol at {@code 127.0.0.1}. Point the platform's provider base URLs here
 * ({@code http://127.0.0.1:PORT/v1}, {@code ws://127.0.0.1:PORT/v1}). Any key is accepted.
 *
 * <p>Tagged ({@link #startTagged}, or {@code --tagged}): the transcript names the {@link TurnTags}
 * turn the caller spoke and the reply names it back with the number of turns in context.
 *
 * <p>{@code InstantProviders PORT [TRANSCRIPT] [--tagged]}: serves until stopped, then prints what it served.
 */
public final class InstantProviders extends AllDirectives {

  static final String REPLY = "Sure, I can help with that.";
  static final String TRANSCRIPT = "hello there";

  private final ServedFigures figures = new ServedFigures();
  private final InstantChat chat;
  private final InstantSpeech speech = new InstantSpeech(figures);
  private final InstantListen listen;

  private InstantProviders(String transcript, boolean tagged, Materializer materializer) {
    this.chat = new InstantChat(REPLY, tagged, figures);
    this.listen = new InstantListen(transcript, tagged, figures, materializer);
  }

  public static void main(String[] args) throws Exception {
    boolean tagged = java.util.Arrays.asList(args).contains("--tagged");
    String[] positional = java.util.Arrays.stream(args).filter(a -> !a.equals("--tagged")).toArray(String[]::new);
    if (positional.length < 1 || !positional[0].matches("\\d{1,5}")) {
      System.err.println("usage: InstantProviders PORT [TRANSCRIPT] [--tagged]");
      System.exit(2);
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "instant-providers");
    InstantProviders providers = new InstantProviders(positional.length > 1 ? positional[1] : TRANSCRIPT, tagged,
        Materializer.matFromSystem(system));
    // Start-up only: wait for the port before announcing it.
    ServerBinding binding = providers.bind(system, Integer.parseInt(positional[0])).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    System.out.println("Instant providers on http://127.0.0.1:" + binding.localAddress().getPort() + "/v1");
    // Pekko runs its coordinated shutdown on SIGTERM / Ctrl-C; the figures go out first.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "print-figures", () -> {
      System.out.println("Instant providers served: " + providers.figures.summary());
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  /** Serves on {@code 127.0.0.1:port} (0 picks a free port) in the given system. */
  public static Started start(ActorSystem<?> system, int port, String transcript) {
    InstantProviders providers = new InstantProviders(transcript, false, Materializer.matFromSystem(system));
    return new Started(providers.bind(system, port), providers.figures);
  }

  /** Tagged mode: see {@link TurnTags}; audio without a tag is transcribed as {@value #TRANSCRIPT}. */
  public static Started startTagged(ActorSystem<?> system, int port) {
    InstantProviders providers = new InstantProviders(TRANSCRIPT, true, Materializer.matFromSystem(system));
    return new Started(providers.bind(system, port), providers.figures);
  }

  /** A running server and its figures. */
  public record Started(CompletionStage<ServerBinding> binding, ServedFigures figures) {}

  private CompletionStage<ServerBinding> bind(ActorSystem<?> system, int port) {
    return Http.get(system).newServerAt("127.0.0.1", port).bind(route());
  }

  private Route route() {
    return pathPrefix("v1", () -> concat(
        path(PathMatchers.segment("chat").slash("completions"), () -> post(() -> json(chat::answer))),
        path(PathMatchers.segment("audio").slash("speech"), () -> post(() -> json(speech::answer))),
        path("listen", () -> get(() -> handleWebSocketMessages(listen.socket())))));
  }

  private Route json(Function<JsonNode, HttpResponse> answer) {
    return entity(Unmarshaller.entityToString(), body -> {
      JsonNode request;
      try {
        request = Json.MAPPER.readTree(body);
      } catch (Exception e) {
        return complete(OpenAiErrors.badRequest(figures, "The body is not valid JSON"));
      }
      return complete(answer.apply(request));
    });
  }
}
