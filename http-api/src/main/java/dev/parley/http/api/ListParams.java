package dev.parley.http.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.parley.registry.resource.ListQuery;

/** Vapi's list query parameters, parsed with a message per bad parameter. */
public final class ListParams {

  /** Either a query or the problems found. */
  public record Parsed(Optional<ListQuery> query, List<String> problems) {}

  private ListParams() {}

  public static Parsed parse(Map<String, String> params) {
    List<String> problems = new ArrayList<>();
    int limit = ListQuery.DEFAULT_LIMIT;
    if (params.containsKey("limit")) {
      try {
        limit = Integer.parseInt(params.get("limit").strip());
        if (limit < 0) {
          problems.add("limit must not be less than 0");
        } else if (limit > ListQuery.MAX_LIMIT) {
          problems.add("limit must not be greater than " + ListQuery.MAX_LIMIT);
        }
      } catch (NumberFormatException e) {
        problems.add("limit must be an integer number");
      }
    }
    ListQuery query = new ListQuery(limit,
        date(params, "createdAtGt", problems), date(params, "createdAtLt", problems),
        date(params, "createdAtGe", problems), date(params, "createdAtLe", problems),
        date(params, "updatedAtGt", problems), date(params, "updatedAtLt", problems),
        date(params, "updatedAtGe", problems), date(params, "updatedAtLe", problems));
    return problems.isEmpty() ? new Parsed(Optional.of(query), problems) : new Parsed(Optional.empty(), problems);
  }

  private static Optional<Instant> date(Map<String, String> params, String name, List<String> problems) {
    String value = params.get(name);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.strip()).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(value.strip()));
      } catch (DateTimeParseException again) {
        problems.add(name + " must be a valid ISO 8601 date string");
        return Optional.empty();
      }
    }
  }
}
