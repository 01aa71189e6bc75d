package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.CallMetrics;
import dev.parley.call.PrometheusScrapes;

/**
 * deploy/grafana/parley-calls.json queries only series CallMetrics really exposes (recorded here
 * and scraped through Kamon's Prometheus reporter) and charts every one of its metrics.
 */
class GrafanaDashboardTest {

  private static final Pattern PARLEY_METRIC = Pattern.compile("\\bparley_[a-z0-9_]+");

  private static String exposition;
  private final JsonNode dashboard = RepoFiles.json("deploy/grafana/parley-calls.json");

  @BeforeAll
  static void recordEveryCallMetric() throws Exception {
    PrometheusScrapes.start();
    CallMetrics.callStarted();
    CallMetrics.callEnded("customer-ended-call");
    CallMetrics.turnLatency(300);
    CallMetrics.callResumed(1200);
    CallMetrics.providerError("pipeline-error-openai-voice-failed");
    CallMetrics.speculativeReply(true);
    CallMetrics.speculativeReply(false);
    exposition = PrometheusScrapes.textAfterNextTick();
  }

  @AfterAll
  static void stopKamon() throws Exception {
    PrometheusScrapes.stop();
  }

  @Test
  void everyQueriedMetricIsASeriesCallMetricsExposes() {
    Set<String> exposed = seriesNames();
    for (String expression : expressions()) {
      assertTrue(PARLEY_METRIC.matcher(expression).find(), "no Parley metric in " + expression);
    }
    for (String queried : queriedMetrics()) {
      assertTrue(exposed.contains(queried), queried + " is not exposed; exposed: " + exposed);
    }
  }

  @Test
  void everyCallMetricIsCharted() {
    Set<String> families = new TreeSet<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (parley_[a-z0-9_]+) ").matcher(exposition);
    while (type.find()) {
      families.add(type.group(1));
    }
    assertEquals(7, families.size(), "CallMetrics' families: " + families);
    for (String family : families) {
      assertTrue(queriedMetrics().stream().anyMatch(q -> q.equals(family) || q.startsWith(family + "_")),
          family + " has no panel");
    }
  }

  @Test
  void quantilesComeFromHistogramBucketsByLe() {
    List<String> quantiles = expressions().stream().filter(e -> e.contains("histogram_quantile")).toList();
    assertEquals(4, quantiles.size(), "turn latency p50/p95, interruption p50/p99");
    for (String expression : quantiles) {
      assertTrue(expression.matches("histogram_quantile\\(0\\.\\d+, sum by \\(le\\) \\(rate\\(parley_[a-z_]+_bucket\\[.+]\\)\\)\\)"),
          expression);
    }
  }

  @Test
  void panelsAreDistinctAndUseThePrometheusDatasource() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
      assertEquals("prometheus", panel.path("datasource").path("type").asText(), panel.path("title").asText());
      assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
      assertTrue(panel.has("gridPos"), panel.path("title") + " has no position");
    }
    assertEquals("datasource", dashboard.path("templating").path("list").get(0).path("type").asText());
  }

  private Set<String> seriesNames() {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("parley_")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private Set<String> queriedMetrics() {
    Set<String> metrics = new TreeSet<>();
    for (String expression : expressions()) {
      Matcher matcher = PARLEY_METRIC.matcher(expression);
      while (matcher.find()) {
        metrics.add(matcher.group());
      }
    }
    return metrics;
  }

  private List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> {
      assertFalse(target.path("expr").asText().isBlank(), panel.path("title") + " has an empty query");
      expressions.add(target.path("expr").asText());
    }));
    return expressions;
  }
}
