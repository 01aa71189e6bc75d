package dev.parley.loadtest.robot;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;

/**
 * A small stand-in for the platform on loopback, real HTTP and WebSocket (Pekko HTTP): POST /call
 * answers a Call with a {@code ws://...?token=} URL, GET /call/{id} the Call, and the socket plays a
 * scripted assistant ({@link LoopbackSession}): the call's {@code assistantId} names its script.
 * Accepts the URL token or {@code Bearer test-key}.
 */
final class LoopbackCallServer implements AutoCloseable {

  static final String API_KEY = "test-key";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
  private final Map<String, ObjectNode> calls = new ConcurrentHashMap<>();
  private final Map<String, LoopbackSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, LoopbackSession.Script> scripts;

  LoopbackCallServer(Map<String, LoopbackSession.Script> scripts) throws Exception {
    this.scripts = Map.copyOf(scripts);
    this.system = ActorSystem.create(Behaviors.empty(), "loopback-call-server",
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(ConfigFactory.load()));
    this.binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(new Routes().route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
  }

  ParleyApi api() {
    return new ParleyApi(baseUrl(), API_KEY);
  }

  /** The session of call {@code id}, once its socket is open. */
  LoopbackSession session(String callId) {
    LoopbackSession session = sessions.get(callId);
    if (session == null) {
      throw new AssertionError("no socket was opened for call " + callId + "; open: " + sessions.keySet());
    }
    return session;
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    clock.shutdownNow();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private final class Routes extends AllDirectives {

    Route route() {
      return concat(
          path("call", () -> post(() -> authorized(() -> entity(Unmarshaller.entityToString(), this::createCall)))),
          path(PathMatchers.segment("call").slash(PathMatchers.segment()), id -> get(() -> authorized(() -> {
            ObjectNode call = calls.get(id);
            return call == null ? complete(StatusCodes.NOT_FOUND, "no call " + id) : json(StatusCodes.OK, call);
          }))),
          path(PathMatchers.segment("call").slash(PathMatchers.segment()).slash("transport"), id ->
              parameterOptional("token", token -> optionalHeaderValueByName("Authorization", header -> {
                ObjectNode call = calls.get(id);
                if (call == null) {
                  return complete(StatusCodes.NOT_FOUND, "no call " + id);
                }
                boolean byToken = token.map(t -> t.equals(call.path("token").asText())).orElse(false);
                boolean byKey = header.map(h -> h.equals("Bearer " + API_KEY)).orElse(false);
                if (!byToken && !byKey) {
                  return complete(StatusCodes.UNAUTHORIZED, "bad token");
                }
                WireFormat format = call.path("transport").path("audioFormat").path("format").asText().equals("mulaw")
                    ? WireFormat.MULAW_8K : WireFormat.PCM_16K;
                LoopbackSession.Script script = scripts.get(call.path("assistantId").asText());
                LoopbackSession session = new LoopbackSession(script, format, clock, system, byKey);
                sessions.put(id, session);
                return handleWebSocketMessages(session.flow());
              }))));
    }

    private Route authorized(java.util.function.Supplier<Route> inner) {
      return optionalHeaderValueByName("Authorization", header -> header.equals(Optional.of("Bearer " + API_KEY))
          ? inner.get() : complete(StatusCodes.UNAUTHORIZED, "missing or wrong key"));
    }

    private Route createCall(String body) {
      try {
        JsonNode request = MAPPER.readTree(body);
        if (!scripts.containsKey(request.path("assistantId").asText())) {
          return complete(StatusCodes.NOT_FOUND, "no assistant " + request.path("assistantId"));
        }
        String id = UUID.randomUUID().toString();
        String token = UUID.randomUUID().toString();
        ObjectNode call = MAPPER.createObjectNode().put("id", id).put("status", "queued")
            .put("assistantId", request.path("assistantId").asText()).put("token", token);
        ObjectNode transport = ((ObjectNode) request.path("transport")).deepCopy();
        transport.put("websocketCallUrl", "ws://127.0.0.1:" + binding.localAddress().getPort()
            + "/call/" + id + "/transport?token=" + token);
        call.set("transport", transport);
        calls.put(id, call);
        return json(StatusCodes.CREATED, call);
      } catch (Exception e) {
        return complete(StatusCodes.BAD_REQUEST, "bad body: " + e.getMessage());
      }
    }

    private Route json(org.apache.pekko.http.javadsl.model.StatusCode status, JsonNode body) {
      return complete(HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body.toString()));
    }
  }
}
