package dev.parley.call.speech;

import java.util.Arrays;
import java.util.Locale;

/**
 * Word error rate: word-level edit distance (substitutions, insertions, deletions) divided by the
 * expected word count, over lowercased words without punctuation ("Don't," equals "dont").
 */
public final class WordErrorRate {

  private WordErrorRate() {}

  /** 0 for a perfect match; can exceed 1. With no expected words: 0 if none were heard, else 1. */
  public static double of(String expected, String actual) {
    String[] reference = words(expected);
    String[] hypothesis = words(actual);
    if (reference.length == 0) {
      return hypothesis.length == 0 ? 0 : 1;
    }
    return (double) distance(reference, hypothesis) / reference.length;
  }

  static String[] words(String text) {
    String cleaned = text.toLowerCase(Locale.ROOT)
        .replaceAll("['’]", "")
        .replaceAll("[^\\p{L}\\p{N}]+", " ")
        .strip();
    return cleaned.isEmpty() ? new String[0] : cleaned.split(" ");
  }

  private static int distance(String[] reference, String[] hypothesis) {
    int[] previous = new int[hypothesis.length + 1];
    int[] current = new int[hypothesis.length + 1];
    Arrays.setAll(previous, j -> j);
    for (int i = 1; i <= reference.length; i++) {
      current[0] = i;
      for (int j = 1; j <= hypothesis.length; j++) {
        int substitution = previous[j - 1] + (reference[i - 1].equals(hypothesis[j - 1]) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[hypothesis.length];
  }
}
