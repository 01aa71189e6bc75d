package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CallMetrics as Prometheus sees them (PrometheusScrapes: Kamon's real tick and kamon-prometheus'
 * reporter): the exposition text must hold the documented names with exactly the recorded values.
 * Other tests in this JVM may record calls too, so values are differences between two scrapes.
 */
class CallMetricsTest {

  @BeforeAll
  static void startKamon() {
    PrometheusScrapes.start();
  }

  @AfterAll
  static void stopKamon() throws Exception {
    PrometheusScrapes.stop();
  }

  @Test
  void exposesEveryCallMetricUnderItsDocumentedPrometheusName() throws Exception {
    Map<String, Double> before = PrometheusScrapes.seriesAfterNextTick();

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

    Map<String, Double> after = PrometheusScrapes.seriesAfterNextTick();
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
    Map<String, Double> before = PrometheusScrapes.seriesAfterNextTick();
    CallMetrics.callStarted();
    CallMetrics.callHandedOff();
    CallMetrics.callEnded(null);
    Map<String, Double> after = PrometheusScrapes.seriesAfterNextTick();
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
    String text = PrometheusScrapes.textAfterNextTick();

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

  private record Delta(Map<String, Double> before, Map<String, Double> after) {
    double of(String series) {
      assertTrue(after.containsKey(series), () -> series + " missing; series: " + after.keySet());
      return after.get(series) - before.getOrDefault(series, 0.0);
    }
  }
}
