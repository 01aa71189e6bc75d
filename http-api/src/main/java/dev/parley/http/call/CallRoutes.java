package dev.parley.http.call;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.CallEntity;
import dev.parley.call.CallRecord;
import dev.parley.call.CallService;
import dev.parley.call.CallState;
import dev.parley.call.readside.CallListQuery;
import dev.parley.call.readside.CallReadSide;
import dev.parley.call.readside.CallSummary;
import dev.parley.http.JsonMapper;
import dev.parley.http.api.BodyValidator;
import dev.parley.http.api.JsonRoutes;
import dev.parley.http.api.ListParams;
import dev.parley.http.auth.BearerAuth;
import dev.parley.http.auth.CallTokens;
import dev.parley.registry.keys.KeyKind;
import dev.parley.registry.keys.Principal;
import dev.parley.registry.resource.JsonBodies;
import dev.parley.registry.resource.ResourceEntity;
import dev.parley.registry.resource.ResourceKind;
import dev.parley.registry.resource.ResourceService;

/**
 * Vapi's {@code POST/GET /call} and {@code GET/DELETE /call/{id}}: a call is created queued with
 * its effective assistant (see {@link AssistantOverrides}) and a WebSocket URL; one call comes from
 * its entity, lists from the read side. A public key may only create browser calls
 * ({@link CallRequestRules#publicKeyRefusal}).
 */
public final class CallRoutes extends JsonRoutes {

  static final String TYPE = "vapi.websocketCall";
  private static final Set<String> SERVER_FIELDS = Set.of("id", "orgId", "createdAt", "updatedAt");

  private final CallService calls;
  private final CallReadSide readSide;
  private final ResourceService resources;
  private final BodyValidator validator;
  private final BearerAuth auth;
  private final CallTokens tokens;
  private final String publicUrl;

  /** {@code publicUrl}: where clients reach this node; blank to use the request's own host. */
  public CallRoutes(CallService calls, CallReadSide readSide, ResourceService resources, BodyValidator validator,
      BearerAuth auth, CallTokens tokens, String publicUrl) {
    this.calls = calls;
    this.readSide = readSide;
    this.resources = resources;
    this.validator = validator;
    this.auth = auth;
    this.tokens = tokens;
    this.publicUrl = publicUrl.strip();
  }

  public Route route(Principal principal) {
    String orgId = principal.orgId();
    return pathPrefix("call", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            post(() -> extractUri(uri -> jsonObject(body -> create(principal, body, uri)))),
            get(() -> auth.requirePrivate(principal, () -> parameterMap(params -> list(orgId, params)))))),
        path(PathMatchers.segment(), id -> pathEnd(() -> auth.requirePrivate(principal, () -> isUuid(id)
            ? concat(
                get(() -> answer(calls.get(orgId, id), StatusCodes.OK)),
                delete(() -> answer(calls.delete(orgId, id), StatusCodes.OK)))
            : notFound())))));
  }

  private Route create(Principal principal, ObjectNode body, Uri uri) {
    if (principal.kind() != KeyKind.PRIVATE) {
      Optional<String> refusal = CallRequestRules.publicKeyRefusal(body);
      if (refusal.isPresent()) {
        return error(StatusCodes.FORBIDDEN, refusal.get());
      }
    }
    List<String> problems = CallRequestRules.notSupportedYet(body);
    if (problems.isEmpty()) {
      problems = validator.validate("CreateCallDTO", body);
    }
    if (problems.isEmpty()) {
      problems = CallRequestRules.problems(body);
    }
    if (!problems.isEmpty()) {
      return error(StatusCodes.BAD_REQUEST, problems.toArray(String[]::new));
    }
    return onComplete(assistantOf(principal.orgId(), body), found -> {
      if (found.isFailure()) {
        return failure(found.failed().get());
      }
      if (found.get().isEmpty()) {
        return error(StatusCodes.BAD_REQUEST, "Couldn't Get Assistant. `assistantId` "
            + body.get("assistantId").asText() + " Does Not Exist.");
      }
      CallRecord call = record(principal.orgId(), body, found.get().get(), uri);
      return onComplete(calls.create(call), created -> {
        if (created.isFailure()) {
          return failure(created.failed().get());
        }
        return created.get().isSuccess()
            ? completeJson(StatusCodes.CREATED, CallJson.summary(
                CallSummary.created(created.get().getValue().call()), tokens))
            : error(StatusCodes.CONFLICT, created.get().getError().getMessage());
      });
    });
  }

  /** The inline assistant, or the org's saved one; empty when the id names none. */
  private CompletionStage<Optional<ObjectNode>> assistantOf(String orgId, ObjectNode body) {
    if (body.get("assistant") instanceof ObjectNode inline) {
      return CompletableFuture.completedFuture(Optional.of(inline));
    }
    String id = body.get("assistantId").asText();
    if (!isUuid(id)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return resources.get(ResourceKind.ASSISTANT, orgId, id).thenApply(reply -> {
      if (reply.isSuccess()) {
        ObjectNode stored = JsonBodies.parseObject(reply.getValue().body());
        stored.remove(SERVER_FIELDS);
        return Optional.of(stored);
      }
      if (ResourceEntity.NOT_FOUND.equals(reply.getError().getMessage())) {
        return Optional.empty();
      }
      throw new IllegalStateException("The assistant could not be read: " + reply.getError().getMessage());
    });
  }

  private CallRecord record(String orgId, ObjectNode body, ObjectNode assistant, Uri uri) {
    String id = calls.newCallId();
    ObjectNode overrides = body.get("assistantOverrides") instanceof ObjectNode o ? o : null;
    ObjectNode transport = body.get("transport").deepCopy();
    ObjectNode format = transport.get("audioFormat") instanceof ObjectNode f ? f : transport.putObject("audioFormat");
    if (!format.has("format")) {
      format.put("format", "pcm_s16le").put("sampleRate", 16000);
    }
    format.put("container", "raw");
    transport.put("websocketCallUrl", websocketBase(uri) + "/call/" + id + "/transport");
    return new CallRecord(id, orgId, TYPE, text(body, "assistantId"),
        AssistantOverrides.apply(assistant, overrides).toString(), json(overrides), transport.toString(),
        json(body.get("customer")), json(body.get("metadata")), text(body, "name"),
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** ws(s)://host[:port] of the configured public URL, else of the request. */
  private String websocketBase(Uri uri) {
    String base = publicUrl.isEmpty()
        ? uri.scheme() + "://" + uri.host().address() + (uri.port() > 0 ? ":" + uri.port() : "")
        : publicUrl.replaceAll("/+$", "");
    return base.replaceFirst("^(?i)http", "ws");
  }

  private Route list(String orgId, Map<String, String> params) {
    ListParams.Parsed parsed = ListParams.parse(params);
    if (parsed.query().isEmpty()) {
      return error(StatusCodes.BAD_REQUEST, parsed.problems().toArray(String[]::new));
    }
    CallListQuery query = new CallListQuery(parsed.query().get(),
        Optional.ofNullable(params.get("id")).map(String::strip),
        Optional.ofNullable(params.get("assistantId")).map(String::strip));
    return onComplete(readSide.list(orgId, query), result -> {
      if (result.isFailure()) {
        return failure(result.failed().get());
      }
      ArrayNode array = JsonMapper.MAPPER.createArrayNode();
      result.get().forEach(row -> array.add(CallJson.summary(row, tokens)));
      return completeJson(StatusCodes.OK, array);
    });
  }

  private Route answer(CompletionStage<StatusReply<CallState>> reply, StatusCode success) {
    return onComplete(reply, result -> {
      if (result.isFailure()) {
        return failure(result.failed().get());
      }
      StatusReply<CallState> status = result.get();
      if (status.isSuccess()) {
        return completeJson(success, CallJson.full(status.getValue(), tokens));
      }
      return CallEntity.NOT_FOUND.equals(status.getError().getMessage())
          ? notFound()
          : error(StatusCodes.CONFLICT, status.getError().getMessage());
    });
  }

  private Route notFound() {
    return error(StatusCodes.NOT_FOUND, "Couldn't find Call");
  }

  private static String text(ObjectNode body, String field) {
    return body.path(field).isTextual() ? body.get(field).asText() : null;
  }

  private static String json(JsonNode node) {
    return node == null || node.isNull() ? null : node.toString();
  }
}
