package dev.parley.http.errors;

import java.util.List;

/**
 * The error body every route answers with, in Vapi's (NestJS) shape: {@code statusCode},
 * {@code error} (the reason phrase) and {@code message}, a list of human-readable problems that
 * name the offending field path where there is one.
 */
public record ApiError(int statusCode, String error, List<String> message) {

  public static ApiError of(int statusCode, String reason, String... messages) {
    return new ApiError(statusCode, reason, List.of(messages));
  }
}
