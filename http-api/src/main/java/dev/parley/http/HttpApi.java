package dev.parley.http;

import java.util.function.BooleanSupplier;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import dev.parley.call.CallService;
import dev.parley.call.readside.CallReadSide;
import dev.parley.http.api.BodyValidator;
import dev.parley.http.api.ResourceRoutes;
import dev.parley.http.auth.BearerAuth;
import dev.parley.http.auth.CallTokens;
import dev.parley.http.call.CallRoutes;
import dev.parley.http.call.CallTransportRoute;
import dev.parley.http.errors.ErrorResponses;
import dev.parley.http.ops.DashboardRoute;
import dev.parley.http.ops.HealthRoutes;
import dev.parley.http.ops.MetricsRoute;
import dev.parley.http.ratelimit.RateLimiter;
import dev.parley.registry.Registry;
import dev.parley.registry.resource.ResourceKind;

/** Every route the node serves, wrapped so that any failure answers as JSON. */
public final class HttpApi extends AllDirectives {

  private static final java.util.regex.Pattern RESOURCE_PATHS = java.util.regex.Pattern.compile(
      java.util.Arrays.stream(ResourceKind.values()).map(ResourceKind::pathSegment)
          .collect(java.util.stream.Collectors.joining("|", "^(", ")$")));

  private static final java.util.regex.Pattern CALL_PATH = java.util.regex.Pattern.compile("^call$");

  /** What the call routes need: the call entities, the call list and the call token signer. */
  public record Calls(CallService service, CallReadSide readSide, CallTokens tokens) {}

  private final ActorSystem<?> system;
  private final Registry registry;
  private final Calls calls;
  private final BodyValidator validator;
  private final byte[] apiDocument;

  private final BooleanSupplier schemaReady;

  /** {@code schemaReady}: until it holds, the REST API answers 503 and touches no entity. */
  public HttpApi(ActorSystem<?> system, Registry registry, Calls calls, BodyValidator validator,
      byte[] apiDocument, BooleanSupplier schemaReady) {
    this.system = system;
    this.registry = registry;
    this.calls = calls;
    this.validator = validator;
    this.apiDocument = apiDocument.clone();
    this.schemaReady = schemaReady;
  }

  public Route routes() {
    BearerAuth auth = new BearerAuth(registry.apiKeys());
    RateLimiter rateLimiter = new RateLimiter(system.settings().config());
    ResourceRoutes resources = new ResourceRoutes(registry.resources(), validator);
    CallRoutes callRoutes = new CallRoutes(calls.service(), calls.readSide(), registry.resources(), validator, auth,
        calls.tokens(), system.settings().config().getString("parley.http.public-url"));
    CallTransportRoute transport = new CallTransportRoute(system, calls.service(), auth, calls.tokens());
    Route all = concat(
        new HealthRoutes(system).route(),
        new MetricsRoute().route(),
        path(PathMatchers.segment("api-docs").slash("openapi.json"), () -> get(() ->
            complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, apiDocument)))),
        new DashboardRoute().route(),
        pathPrefixTest(PathMatchers.segment(RESOURCE_PATHS), kind -> whenReady(() -> auth.privateKey(principal ->
            rateLimiter.limit(principal.keyHash(), () -> resources.route(principal))))),
        // the transport authenticates itself (call tokens); the REST calls take a public key for POST
        pathPrefixTest(PathMatchers.segment(CALL_PATH), call -> whenReady(() -> concat(
            transport.route(),
            auth.headerKey(principal -> rateLimiter.limit(principal.keyHash(), () -> callRoutes.route(principal)))))));
    return handleExceptions(ErrorResponses.exceptionHandler(),
        () -> handleRejections(ErrorResponses.rejectionHandler(), () -> refusingLargeBodies(all)));
  }

  /**
   * 413 for a body over {@link #MAX_BODY_BYTES}. One that says its length is read and dropped
   * first: a connection closed with a request's bytes still unread is reset, and the client may
   * then never see the answer. Beyond Pekko's own {@code parsing.max-content-length} (a larger
   * bound, in the node's configuration) Pekko refuses the request without reading it.
   */
  private Route refusingLargeBodies(Route inner) {
    return extractRequest(request -> {
      java.util.OptionalLong length = request.entity().getContentLengthOption();
      if (length.isPresent() && length.getAsLong() > MAX_BODY_BYTES) {
        return onComplete(request.discardEntityBytes(system).completionStage(),
            drained -> complete(ErrorResponses.tooLarge(MAX_BODY_BYTES)));
      }
      return withSizeLimit(MAX_BODY_BYTES, () -> inner);
    });
  }

  /** The largest request body the API takes: 1 MiB. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private Route whenReady(java.util.function.Supplier<Route> inner) {
    return extractRequestContext(ctx -> schemaReady.getAsBoolean()
        ? inner.get()
        : respondWithHeader(RawHeader.create("Retry-After", "2"), () -> complete(ErrorResponses.response(
            StatusCodes.SERVICE_UNAVAILABLE, "The node is starting (waiting for Cassandra); try again shortly"))));
  }
}
