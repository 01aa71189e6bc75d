package dev.parley.call.providers.deepgram;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.parley.call.provider.Transcript;

/**
 * What Deepgram heard of the caller's current utterance: the segments it made final, and the
 * interim guess at the segment after them. Partials show the whole utterance so far.
 */
final class Utterance {

  private final List<String> finals = new ArrayList<>();

  /** An interim result for the segment after the final ones. */
  Optional<Transcript> interim(String text) {
    return partial(joined(text));
  }

  /** A segment Deepgram will not revise. */
  Optional<Transcript> segment(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    finals.add(text.trim());
    return partial(joined(""));
  }

  /** Ends the utterance: its final transcript, unless nothing was heard. */
  boolean hasFinals() {
    return finals.stream().anyMatch(f -> !f.isBlank());
  }

  Optional<Transcript> finish() {
    String text = joined("");
    finals.clear();
    return text.isEmpty() ? Optional.empty() : Optional.of(new Transcript(text, true));
  }

  private String joined(String interim) {
    List<String> parts = new ArrayList<>(finals);
    if (!interim.isBlank()) {
      parts.add(interim.trim());
    }
    return String.join(" ", parts);
  }

  private static Optional<Transcript> partial(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(new Transcript(text, false));
  }
}
