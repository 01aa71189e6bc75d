package dev.parley.call.providers.deepgram;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.japi.Pair;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code GET /listen} upgrade request for an assistant's Deepgram {@code transcriber}: the
 * platform's audio format (16 kHz linear16 mono), interim results, and the transcriber's options.
 */
final class ListenRequest {

  static final String DEFAULT_MODEL = "nova-2";
  static final String DEFAULT_LANGUAGE = "en";

  private ListenRequest() {}

  static WebSocketRequest of(DeepgramSettings settings, JsonNode transcriber) {
    return WebSocketRequest.create(uri(settings.baseUrl(), transcriber))
        .addHeader(RawHeader.create("Authorization", "Token " + settings.apiKey()));
  }

  static Uri uri(String baseUrl, JsonNode transcriber) {
    List<Pair<String, String>> query = new ArrayList<>(List.of(
        Pair.create("encoding", "linear16"),
        Pair.create("sample_rate", "16000"),
        Pair.create("channels", "1"),
        Pair.create("interim_results", "true"),
        Pair.create("model", text(transcriber, "model", DEFAULT_MODEL)),
        Pair.create("language", text(transcriber, "language", DEFAULT_LANGUAGE)),
        Pair.create("punctuate", "true")));
    flag(transcriber, "smartFormat", "smart_format", query);
    flag(transcriber, "numerals", "numerals", query);
    flag(transcriber, "profanityFilter", "profanity_filter", query);
    if (transcriber.path("endpointing").isNumber()) {
      query.add(Pair.create("endpointing", transcriber.get("endpointing").asText()));
    }
    transcriber.path("keywords").forEach(k -> query.add(Pair.create("keywords", k.asText())));
    transcriber.path("keyterm").forEach(k -> query.add(Pair.create("keyterm", k.asText())));
    @SuppressWarnings("unchecked")
    Pair<String, String>[] pairs = query.toArray(new Pair[0]);
    return Uri.create(stripSlash(baseUrl) + "/listen").query(Query.create(pairs));
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : fallback;
  }

  private static void flag(JsonNode node, String field, String param, List<Pair<String, String>> query) {
    if (node.path(field).isBoolean()) {
      query.add(Pair.create(param, String.valueOf(node.get(field).asBoolean())));
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
