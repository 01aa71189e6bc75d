package dev.parley.call;

import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;

/**
 * The call metrics of one node, recorded through Kamon and served as Prometheus text at
 * {@code /metrics}. Kamon names on the left, what its Prometheus reporter prints on the right
 * (times are recorded in milliseconds and exposed in seconds):
 * <pre>
 * parley.calls.live           gauge      parley_calls_live
 * parley.calls.ended          counter    parley_calls_ended_total{ended_reason="..."}
 * parley.call.turn-latency    histogram  parley_call_turn_latency_seconds_{bucket,count,sum}
 * parley.calls.resumed        counter    parley_calls_resumed_total
 * parley.call.interruption    histogram  parley_call_interruption_seconds_{bucket,count,sum}
 * parley.provider.errors      counter    parley_provider_errors_total{ended_reason="..."}
 * parley.replies.speculative  counter    parley_replies_speculative_total{outcome="played|dropped"}
 * </pre>
 * deploy/grafana/parley-calls.json queries exactly these names; deploy's tests check that.
 */
public final class CallMetrics {

  /** The tag on ended calls and provider errors: Vapi's {@code endedReason}. */
  public static final String ENDED_REASON_TAG = "ended_reason";

  private static final Gauge LIVE = Kamon.gauge("parley.calls.live",
      "Calls whose live conversation runs on this node").withoutTags();
  private static final Metric.Counter ENDED = Kamon.counter("parley.calls.ended",
      "Calls that ended on this node, by endedReason");
  private static final Histogram TURN_LATENCY = Kamon.histogram("parley.call.turn-latency",
      "Voice-to-voice turn latency: end of the caller's speech to the first assistant audio",
      MeasurementUnit.time().milliseconds()).withoutTags();
  private static final Counter RESUMED = Kamon.counter("parley.calls.resumed",
      "Calls resumed on this node after their node or the caller's connection failed").withoutTags();
  private static final Histogram INTERRUPTION = Kamon.histogram("parley.call.interruption",
      "Silence a caller heard while a failed-over call resumed",
      MeasurementUnit.time().milliseconds()).withoutTags();
  private static final Metric.Counter PROVIDER_ERRORS = Kamon.counter("parley.provider.errors",
      "Provider failures that ended a call, by endedReason");

  private static final Metric.Counter SPECULATIVE = Kamon.counter("parley.replies.speculative",
      "Replies started during the endpointing wait, by outcome: played, or dropped because the caller went on");

  private CallMetrics() {}

  /** A reply started before its turn was decided was played ({@code true}) or dropped unheard. */
  public static void speculativeReply(boolean played) {
    SPECULATIVE.withTag("outcome", played ? "played" : "dropped").increment();
  }

  /** A call's live conversation started on this node (a new call, or one resumed here). */
  public static void callStarted() {
    LIVE.increment();
  }

  /** A call that ran on this node ended with Vapi's {@code endedReason}. */
  public static void callEnded(String endedReason) {
    LIVE.decrement();
    ENDED.withTag(ENDED_REASON_TAG, reasonTag(endedReason)).increment();
  }

  /**
   * A live call left this node without ending (its shard moved on graceful leave or rebalance):
   * it stops counting here and {@link #callStarted()} counts it where it resumes.
   */
  public static void callHandedOff() {
    LIVE.decrement();
  }

  /** One voice-to-voice turn latency. */
  public static void turnLatency(long millis) {
    TURN_LATENCY.record(millis);
  }

  /** A call resumed on this node after a failover; the caller heard {@code silenceMillis} of nothing. */
  public static void callResumed(long silenceMillis) {
    RESUMED.increment();
    INTERRUPTION.record(silenceMillis);
  }

  /** A provider failed with Vapi's {@code endedReason} (e.g. pipeline-error-openai-voice-failed). */
  public static void providerError(String endedReason) {
    PROVIDER_ERRORS.withTag(ENDED_REASON_TAG, reasonTag(endedReason)).increment();
  }

  private static String reasonTag(String endedReason) {
    return endedReason == null || endedReason.isBlank() ? "unknown" : endedReason;
  }
}
