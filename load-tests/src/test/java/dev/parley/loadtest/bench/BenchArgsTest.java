package dev.parley.loadtest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Benchmark command lines: whole-number options with a floor. */
class BenchArgsTest {

  @Test
  void aWholeNumberOptionIsReadAndAnAbsentOneFallsBack() {
    BenchArgs cli = new BenchArgs(new String[] {"--warm-up=90", "http://x", "key"}, "warm-up", "lookahead");

    assertEquals(90, cli.intOption("warm-up", 20, 1));
    assertEquals(3, cli.intOption("lookahead", 3, 1));
    assertEquals(2, cli.size());
  }

  @Test
  void aNumberBelowTheFloorOrNotANumberIsRefusedNamingTheOption() {
    BenchArgs cli = new BenchArgs(new String[] {"--warm-up=0", "--lookahead=three"}, "warm-up", "lookahead");

    assertEquals("--warm-up must be a whole number of at least 1, not '0'",
        assertThrows(IllegalArgumentException.class, () -> cli.intOption("warm-up", 20, 1)).getMessage());
    assertEquals("--lookahead must be a whole number of at least 1, not 'three'",
        assertThrows(IllegalArgumentException.class, () -> cli.intOption("lookahead", 3, 1)).getMessage());
    assertEquals(0, new BenchArgs(new String[] {"--warm-up=0"}, "warm-up").intOption("warm-up", 5, 0));
  }
}
