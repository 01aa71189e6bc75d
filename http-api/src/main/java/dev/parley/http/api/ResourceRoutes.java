package dev.parley.http.api;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.http.JsonMapper;
import dev.parley.http.errors.ErrorResponses;
import dev.parley.registry.keys.Principal;
import dev.parley.registry.resource.Resource;
import dev.parley.registry.resource.ResourceEntity;
import dev.parley.registry.resource.ResourceKind;
import dev.parley.registry.resource.ResourceService;

/**
 * {@code POST/GET /<kind>} and {@code GET/PATCH/DELETE /<kind>/{id}} for every resource kind, with
 * Vapi's shapes: validate, ask the entity (or the read side for lists), render, map refusals.
 */
public final class ResourceRoutes extends JsonRoutes {

  private final ResourceService resources;
  private final BodyValidator validator;

  public ResourceRoutes(ResourceService resources, BodyValidator validator) {
    this.resources = resources;
    this.validator = validator;
  }

  public Route route(Principal principal) {
    Route[] kinds = java.util.Arrays.stream(ResourceKind.values())
        .map(kind -> kindRoute(kind, principal.orgId()))
        .toArray(Route[]::new);
    return concat(kinds[0], java.util.Arrays.copyOfRange(kinds, 1, kinds.length));
  }

  private Route kindRoute(ResourceKind kind, String orgId) {
    return pathPrefix(kind.pathSegment(), () -> concat(
        pathEndOrSingleSlash(() -> concat(
            post(() -> jsonBody(kind, "Create", body ->
                answer(resources.create(kind, orgId, body.toString()), StatusCodes.CREATED, kind))),
            get(() -> parameterMap(params -> list(kind, orgId, ListParams.parse(params)))))),
        path(PathMatchers.segment(), id -> pathEnd(() -> isUuid(id)
            ? concat(
                get(() -> answer(resources.get(kind, orgId, id), StatusCodes.OK, kind)),
                patch(() -> jsonBody(kind, "Update", body -> keepingDiscriminator(kind, orgId, id, body, () ->
                    answer(resources.update(kind, orgId, id, body.toString()), StatusCodes.OK, kind)))),
                delete(() -> answer(resources.delete(kind, orgId, id), StatusCodes.OK, kind)))
            : notFound(kind)))));
  }

  /**
   * A tool's {@code type} and a phone number's or credential's {@code provider} decide which other
   * fields are valid, so a PATCH may repeat them but not change them.
   */
  private Route keepingDiscriminator(ResourceKind kind, String orgId, String id, ObjectNode patch,
      java.util.function.Supplier<Route> inner) {
    String field = switch (kind) {
      case TOOL -> "type";
      case PHONE_NUMBER, CREDENTIAL -> "provider";
      default -> null;
    };
    if (field == null || !patch.has(field)) {
      return inner.get();
    }
    return onComplete(resources.get(kind, orgId, id), result -> {
      if (result.isFailure() || !result.get().isSuccess()) {
        return inner.get();
      }
      JsonNode stored = dev.parley.registry.resource.JsonBodies.parseObject(result.get().getValue().body()).get(field);
      return patch.get(field).equals(stored)
          ? inner.get()
          : complete(ErrorResponses.response(StatusCodes.BAD_REQUEST,
              field + " cannot be changed; create a new " + kind.pathSegment().replace('-', ' ') + " instead"));
    });
  }

  private Route list(ResourceKind kind, String orgId, ListParams.Parsed parsed) {
    if (parsed.query().isEmpty()) {
      return complete(ErrorResponses.response(StatusCodes.BAD_REQUEST, parsed.problems().toArray(String[]::new)));
    }
    return onComplete(resources.list(kind, orgId, parsed.query().get()), result -> {
      if (result.isFailure()) {
        return failure(result.failed().get());
      }
      ArrayNode array = JsonMapper.MAPPER.createArrayNode();
      result.get().forEach(resource -> array.add(ResourceJson.render(resource)));
      return completeJson(StatusCodes.OK, array);
    });
  }

  /** Parses the body as a JSON object and checks it against "<Create|Update><Kind>DTO". */
  private Route jsonBody(ResourceKind kind, String operation, Function<ObjectNode, Route> inner) {
    return jsonObject(object -> {
      List<String> problems = validator.validate(operation + kind.typeName() + "DTO", object);
      if (!problems.isEmpty()) {
        return complete(ErrorResponses.response(StatusCodes.BAD_REQUEST, problems.toArray(String[]::new)));
      }
      return inner.apply(object);
    });
  }

  private Route answer(CompletionStage<StatusReply<Resource>> reply, StatusCode success, ResourceKind kind) {
    return onComplete(reply, result -> {
      if (result.isFailure()) {
        return failure(result.failed().get());
      }
      StatusReply<Resource> status = result.get();
      if (status.isSuccess()) {
        return completeJson(success, ResourceJson.render(status.getValue()));
      }
      String refusal = status.getError().getMessage();
      return ResourceEntity.NOT_FOUND.equals(refusal)
          ? notFound(kind)
          : complete(ErrorResponses.response(StatusCodes.CONFLICT, refusal));
    });
  }

  private Route notFound(ResourceKind kind) {
    String name = kind.pathSegment().replace('-', ' ');
    return complete(ErrorResponses.response(StatusCodes.NOT_FOUND,
        "Couldn't find " + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1)));
  }
}
