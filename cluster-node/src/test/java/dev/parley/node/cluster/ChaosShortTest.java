package dev.parley.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.parley.loadtest.chaos.ChaosReport;
import dev.parley.loadtest.chaos.ChaosRunner;
import dev.parley.loadtest.chaos.ChaosSettings;
import dev.parley.persistence.testkit.TestCassandra;

/**
 * The chaos run's short form: three node JVMs on the shared test Cassandra, twenty robot calls
 * speaking tagged turns through loopback providers, three kill -9s of a random node (each restarted);
 * then no call may end without a recorded reason, no event the callers were answered on may be
 * missing or doubled in the journal, and the read model must agree with the journals. The run's
 * figures are printed (target/surefire-reports); the nodes' logs stay under target/ when it fails,
 * and when a failover's silence passes the 3 s target, to tell why.
 */
class ChaosShortTest {

  private static final double SILENCE_TARGET_MILLIS = 3_000;

  @Test
  void threeKillsAmongTwentyCallsLoseNoCallAndNoEvent() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "chaos-short-");
    ChaosSettings settings = ChaosSettings.shortForm(TestCassandra.server().contactPointString(),
        TestCassandra.uniqueKeyspace("chaos"), work);

    ChaosReport report = ChaosRunner.run(settings);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    String figures = printed.toString(StandardCharsets.UTF_8) + "nodes' logs: " + work.resolve("logs");
    System.out.println(figures);

    assertEquals(0, report.callsNotStarted(), figures);
    assertTrue(report.callsStarted() >= settings.calls(), figures);
    assertEquals(3, report.kills(), figures);
    assertEquals(0, report.restartFailures(), figures);
    assertEquals(0, report.lost(), "calls lost without a recorded reason\n" + figures);
    assertEquals(0, report.eventsLost(), "events lost\n" + figures);
    assertEquals(0, report.eventsDuplicated(), "events duplicated\n" + figures);
    assertEquals(0, report.eventsOutOfOrder(), "events out of order\n" + figures);
    assertEquals(0, report.contextMismatches(), "replies without the earlier turns in context\n" + figures);
    assertEquals(0, report.readModelMismatches(), "read model mismatches\n" + figures);
    if (report.longestSilenceMillis() <= SILENCE_TARGET_MILLIS) {
      TestCassandra.deleteRecursively(work);
    }
  }
}
