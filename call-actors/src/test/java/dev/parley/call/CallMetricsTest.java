package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import kamon.Kamon;
import kamon.metric.PeriodSnapshot;
import kamon.module.MetricReporter;
import kamon.prometheus.PrometheusReporter;

/**
 * CallMetrics as Prometheus sees them: Kamon's real tick feeds kamon-prometheus' reporter, and the
 * exposition text must hold the documented names with exactly the recorded values. Other tests in
 * this JVM may record calls too, so values are compared as differences between two scrapes.
 */
class CallMetricsTest {

  private static final Config CONFIG = ConfigFactory.parseString("""
      kamon.metric.tick-interval = 200ms
      kamon.prometheus.start-embedded-http-server = no
      kamon.modules.prometheus-reporter.enabled = no
      kamon.modules.status-page.enabled = no
      """).withFallback(ConfigFactory.load());

  private static final AtomicInteger TICKS = new AtomicInteger();
  private static PrometheusReporter prometheus;

  @BeforeAll
  static void startKamon() {
    Kamon.initWithoutAttaching(CONFIG);
    prometheus = new PrometheusReporter("kamon.prometheus", CONFIG);
    Kamon.addReporter("call-metrics-test", new MetricReporter() {
      @Override public void reportPeriodSnapshot(PeriodSnapshot snapshot) {
        prometheus.reportPeriodSnapshot(snapshot);
        TICKS.incrementAndGet();
      }
      @Override public void stop() {}
      @Override public void reconfigure(Config newConfig) {}
    });
  }

  @AfterAll
  static void stopKamon() throws Exception {
    scala.concurrent.Await.result(Kamon.stop(), scala.concurrent.duration.Duration.create(30, "s"));
  }

  @Test
  void exposesEveryCallMetricUnderItsDocumentedPrometheusName() throws Exception {
    Map<String, Double> before = scrapeAfterNextTick();

    // Kamon's histograms keep two significant digits: these values are stored exactly.
    CallMetrics.callStarted();
    CallMetrics.callStarted();
    CallMetrics.callStarted();
    CallMetrics.callStarted();
    CallMetrics.callEnded("customer-ended-call");
    CallMetrics.callEnded("customer-ended-call");
    CallMetrics.callEnded("pipeline-error-openai-voice-failed");
    CallMetrics.turnLatency(200);
    CallMetrics.turnLatency(400);
    CallMetrics.turnLatency(1200);
    CallMetrics.callResumed(800);
    CallMetrics.callResumed(3200);
    CallMetrics.providerError("pipeline-error-openai-voice-failed");

    Map<String, Double> after = scrapeAfterNextTick();
    Delta delta = new Delta(before, after);

    assertEquals(1, delta.of("parley_calls_live"));
    assertEquals(2, delta.of("parley_calls_ended_total{ended_reason=\"customer-ended-call\"}"));
    assertEquals(1, delta.of("parley_calls_ended_total{ended_reason=\"pipeline-error-openai-voice-failed\"}"));

    assertEquals(3, delta.of("parley_call_turn_latency_seconds_count"));
    assertEquals(1.8, delta.of("parley_call_turn_latency_seconds_sum"), 1e-9);
    assertEquals(0, delta.of("parley_call_turn_latency_seconds_bucket{le=\"0.1\"}"));
    assertEquals(1, delta.of("parley_call_turn_latency_seconds_bucket{le=\"0.25\"}"));
    assertEquals(2, delta.of("parley_call_turn_latency_seconds_bucket{le=\"1.0\"}"));
    assertEquals(3, delta.of("parley_call_turn_latency_seconds_bucket{le=\"2.5\"}"));
    assertEquals(3, delta.of("parley_call_turn_latency_seconds_bucket{le=\"+Inf\"}"));

    assertEquals(2, delta.of("parley_calls_resumed_total"));
    assertEquals(2, delta.of("parley_call_interruption_seconds_count"));
    assertEquals(4.0, delta.of("parley_call_interruption_seconds_sum"), 1e-9);
    assertEquals(1, delta.of("parley_call_interruption_seconds_bucket{le=\"1.0\"}"));
    assertEquals(2, delta.of("parley_call_interruption_seconds_bucket{le=\"5.0\"}"));

    assertEquals(1, delta.of("parley_provider_errors_total{ended_reason=\"pipeline-error-openai-voice-failed\"}"));
  }

  @Test
  void aHandedOffCallLeavesTheLiveGaugeWithoutCountingAsEnded() throws Exception {
    Map<String, Double> before = scrapeAfterNextTick();
    CallMetrics.callStarted();
    CallMetrics.callHandedOff();
    CallMetrics.callEnded(null);
    Map<String, Double> after = scrapeAfterNextTick();
    Delta delta = new Delta(before, after);

    assertEquals(-1, delta.of("parley_calls_live"));
    assertEquals(1, delta.of("parley_calls_ended_total{ended_reason=\"unknown\"}"));
  }

  @Test
  void declaresEachMetricWithItsPrometheusType() throws Exception {
    CallMetrics.callStarted();
    CallMetrics.callEnded("customer-ended-call");
    CallMetrics.turnLatency(100);
    CallMetrics.callResumed(100);
    CallMetrics.providerError("pipeline-error-deepgram-transcriber-failed");
    scrapeAfterNextTick();
    String text = prometheus.scrapeData();

    for (String declaration : new String[] {
        "# TYPE parley_calls_live gauge",
        "# TYPE parley_calls_ended_total counter",
        "# TYPE parley_call_turn_latency_seconds histogram",
        "# TYPE parley_calls_resumed_total counter",
        "# TYPE parley_call_interruption_seconds histogram",
        "# TYPE parley_provider_errors_total counter"}) {
      assertTrue(text.contains(declaration + "\n"), () -> declaration + " missing from:\n" + text);
    }
  }

  /** The exposition after two more ticks, so the last one began after everything recorded so far. */
  private static Map<String, Double> scrapeAfterNextTick() throws InterruptedException {
    int target = TICKS.get() + 2;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (TICKS.get() < target) {
      assertTrue(Instant.now().isBefore(deadline), "Kamon did not tick within 60 s");
      Thread.sleep(50);
    }
    return parse(prometheus.scrapeData());
  }

  /** Series ("name{labels}") to value, from Prometheus text exposition. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> series = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int split = line.lastIndexOf(' ');
      series.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
    }
    return series;
  }

  private record Delta(Map<String, Double> before, Map<String, Double> after) {
    double of(String series) {
      assertTrue(after.containsKey(series), () -> series + " missing; series: " + after.keySet());
      return after.get(series) - before.getOrDefault(series, 0.0);
    }
  }
}
