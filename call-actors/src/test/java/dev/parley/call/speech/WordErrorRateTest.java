package dev.parley.call.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordErrorRateTest {

  @Test
  void identicalWordsScoreZeroWhateverTheCaseAndPunctuation() {
    assertEquals(0.0, WordErrorRate.of("Hello, world!", "hello world"));
    assertEquals(0.0, WordErrorRate.of("I don't know.", "i dont know"));
    assertEquals(0.0, WordErrorRate.of("  spaced   out ", "spaced out"));
  }

  @Test
  void countsSubstitutionsInsertionsAndDeletions() {
    assertEquals(0.25, WordErrorRate.of("a b c d", "a x c d"));
    assertEquals(0.5, WordErrorRate.of("a b c d", "a c"));
    assertEquals(0.5, WordErrorRate.of("a b c d", "a b y c d z"));
    assertEquals(1.0, WordErrorRate.of("a b", "c d"));
    assertEquals(1.5, WordErrorRate.of("a b", "c d e"));
  }

  @Test
  void emptyExpectations() {
    assertEquals(0.0, WordErrorRate.of("", "  "));
    assertEquals(1.0, WordErrorRate.of("...", "something"));
    assertEquals(1.0, WordErrorRate.of("two words", ""));
  }

  @Test
  void hyphensSplitWords() {
    assertArrayEquals(new String[] {"well", "known", "caf\u00e9"}, WordErrorRate.words("Well-known caf\u00e9?"));
  }
}
