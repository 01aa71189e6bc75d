package dev.parley.loadtest.loopback;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** OpenAI's error body ({@code {"error":{"message":..,"type":"invalid_request_error"}}}). */
final class OpenAiErrors {

  private OpenAiErrors() {}

  static HttpResponse badRequest(ServedFigures figures, String message) {
    figures.badRequests.incrementAndGet();
    var body = Json.MAPPER.createObjectNode();
    body.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param")
        .putNull("code");
    return HttpResponse.create().withStatus(StatusCodes.BAD_REQUEST)
        .withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }
}
