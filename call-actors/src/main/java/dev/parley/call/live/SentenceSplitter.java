package dev.parley.call.live;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a streamed reply into sentences as the text arrives, so the voice can start on the first
 * one while the model is still writing the rest. Not thread-safe: one per reply.
 */
final class SentenceSplitter {

  /** A sentence ends at . ! ? ; or : followed by whitespace (not "3.5" or "e.g"). */
  private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?;:])[\"')\\]]*\\s+");
  private static final int MIN_SENTENCE_CHARS = 2;

  private final StringBuilder pending = new StringBuilder();

  /** Adds a delta; returns the sentences it completed, trimmed, in order. */
  List<String> add(String delta) {
    pending.append(delta);
    List<String> sentences = new ArrayList<>();
    Matcher matcher = BOUNDARY.matcher(pending);
    int start = 0;
    while (matcher.find()) {
      String sentence = pending.substring(start, matcher.start()).trim();
      if (sentence.length() >= MIN_SENTENCE_CHARS) {
        sentences.add(sentence);
        start = matcher.end();
      }
    }
    pending.delete(0, start);
    return sentences;
  }

  /** What is left at the end of the reply, if anything. */
  List<String> flush() {
    String rest = pending.toString().trim();
    pending.setLength(0);
    return rest.isEmpty() ? List.of() : List.of(rest);
  }
}
