package dev.parley.http.api;

import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.http.JsonMapper;
import dev.parley.http.errors.ErrorResponses;

/** What every REST route shares: a JSON object body, JSON answers, ask failures, id checks. */
public abstract class JsonRoutes extends AllDirectives {

  /** The body as a JSON object, or a 400 that says what is wrong with it. */
  protected Route jsonObject(Function<ObjectNode, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> {
      JsonNode body;
      try {
        body = text.isBlank() ? null : JsonMapper.MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        return complete(ErrorResponses.response(StatusCodes.BAD_REQUEST,
            "body is not valid JSON: " + e.getOriginalMessage()
                + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
      }
      if (!(body instanceof ObjectNode object)) {
        return complete(ErrorResponses.response(StatusCodes.BAD_REQUEST, "body must be a JSON object"));
      }
      return inner.apply(object);
    });
  }

  protected Route completeJson(StatusCode status, JsonNode json) {
    try {
      return complete(HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JsonMapper.MAPPER.writeValueAsBytes(json))));
    } catch (JsonProcessingException e) {
      return failWith(e);
    }
  }

  protected Route error(StatusCode status, String... messages) {
    return complete(ErrorResponses.response(status, messages));
  }

  /** An ask that timed out is a 503 with Retry-After; anything else goes to the exception handler. */
  protected Route failure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return complete(ErrorResponses.notAnsweredInTime());
    }
    return failWith(cause);
  }

  public static boolean isUuid(String id) {
    try {
      return UUID.fromString(id).toString().equalsIgnoreCase(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
