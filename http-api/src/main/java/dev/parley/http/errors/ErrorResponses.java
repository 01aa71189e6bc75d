package dev.parley.http.errors;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.parley.http.JsonMapper;

/**
 * Turns every rejection and unexpected exception into an {@link ApiError} JSON body: clients get a
 * reason, never a stack trace or an HTML page.
 */
public final class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  public static HttpResponse response(StatusCode status, String... messages) {
    ApiError error = ApiError.of(status.intValue(), status.reason(), messages);
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JsonMapper.MAPPER.writeValueAsBytes(error)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 413, whether the size limit surfaced as a rejection or as an exception. */
  private static HttpResponse tooLarge(EntityStreamSizeException e) {
    return tooLarge(e.limit());
  }

  public static HttpResponse tooLarge(long limit) {
    return response(StatusCodes.PAYLOAD_TOO_LARGE, "Request body is larger than the limit of " + limit + " bytes");
  }

  /** Pekko's default rejection responses, re-wrapped as JSON with the same status and text. */
  public static RejectionHandler rejectionHandler() {
    RejectionHandler bodies = RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, rejection -> Directives.complete(
            rejection.getCause() instanceof EntityStreamSizeException tooLarge
                ? tooLarge(tooLarge)
                : response(StatusCodes.BAD_REQUEST, "The request body could not be read: " + rejection.message())))
        .build();
    return bodies.withFallback(RejectionHandler.defaultHandler()).mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        return response;
      }
      String text = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
          ? strict.getData().utf8String()
          : response.status().reason();
      return response(response.status(), text.isBlank() ? response.status().reason() : text);
    });
  }

  /** 503 with Retry-After: the node could not answer in time, a retry may well succeed. */
  public static HttpResponse notAnsweredInTime() {
    return response(StatusCodes.SERVICE_UNAVAILABLE, "The node could not answer in time; try again shortly")
        .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Retry-After", "1"));
  }

  public static ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> Directives.complete(tooLarge(e)))
        .match(IllegalRequestException.class, e -> Directives.complete(response(e.status(), e.info().summary())))
        // an entity that did not answer in time (a call moving after its node died, say): try again
        .match(java.util.concurrent.TimeoutException.class, e -> Directives.complete(notAnsweredInTime()))
        .matchAny(e -> {
          log.error("Unhandled error in a route", e);
          return Directives.complete(
              response(StatusCodes.INTERNAL_SERVER_ERROR, "Internal server error; the node logged the details"));
        })
        .build();
  }

}
