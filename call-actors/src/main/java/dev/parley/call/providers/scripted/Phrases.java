package dev.parley.call.providers.scripted;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whole-word phrase matching that ignores case and punctuation: "That's ALL, thanks!" contains
 * "that's all" but "goodbyes" does not contain "goodbye".
 */
final class Phrases {

  private static final Pattern APOSTROPHES = Pattern.compile("['\u2019]");
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private Phrases() {}

  /** Lower case, apostrophes dropped, every other run of non-letters one space, trimmed. */
  static String normalise(String text) {
    String lower = APOSTROPHES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
    return SEPARATORS.matcher(lower).replaceAll(" ").strip();
  }

  static boolean containsAny(String text, List<String> phrases) {
    String padded = " " + normalise(text) + " ";
    for (String phrase : phrases) {
      if (padded.contains(" " + normalise(phrase) + " ")) {
        return true;
      }
    }
    return false;
  }
}
