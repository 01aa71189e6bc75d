package dev.parley.loadtest.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ChaosMainTest {

  @Test
  void nodeSettingsAreKeyValuePairsSeparatedByCommas() {
    assertEquals(Map.of("parley.cluster.failure-detection-pause", "1s", "a.b", "x=y"),
        ChaosMain.nodeSettings("parley.cluster.failure-detection-pause=1s, a.b=x=y,"));
    assertEquals(Map.of(), ChaosMain.nodeSettings(""));
  }

  @Test
  void aPairWithoutKeyOrValueIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChaosMain.nodeSettings("a=1,justakey"));
    assertEquals("--node-settings takes key=value pairs separated by commas, not 'justakey'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.nodeSettings("=1"));
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.nodeSettings("a="));
  }
}
