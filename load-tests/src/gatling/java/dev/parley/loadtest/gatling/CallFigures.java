package dev.parley.loadtest.gatling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.parley.loadtest.bench.Percentiles;

/**
 * What Gatling's own report cannot show, gathered over all virtual users: per caller turn, the time
 * from its last speech frame to the user's final {@code transcript} and to the first frame of the
 * assistant's reply (voice to voice at the caller); assistant audio frames received; server
 * {@code error} messages; calls the server ended before the caller hung up. Thread-safe.
 */
final class CallFigures {

  private final AtomicInteger turns = new AtomicInteger();
  private final List<Double> toTranscriptMs = new ArrayList<>();
  private final List<Double> voiceToVoiceMs = new ArrayList<>();
  private final AtomicLong assistantFrames = new AtomicLong();
  private final AtomicInteger serverErrors = new AtomicInteger();
  private final AtomicReference<String> firstServerError = new AtomicReference<>();
  private final AtomicInteger endedEarly = new AtomicInteger();
  private final AtomicReference<String> firstEarlyEnd = new AtomicReference<>();

  void turnSpoken() {
    turns.incrementAndGet();
  }

  synchronized void transcriptAfter(long millis) {
    toTranscriptMs.add((double) millis);
  }

  synchronized void replyAfter(long millis) {
    voiceToVoiceMs.add((double) millis);
  }

  void assistantFrames(int frames) {
    assistantFrames.addAndGet(frames);
  }

  void serverError(String message) {
    serverErrors.incrementAndGet();
    firstServerError.compareAndSet(null, message);
  }

  void endedEarly(String endedReason) {
    endedEarly.incrementAndGet();
    firstEarlyEnd.compareAndSet(null, endedReason);
  }

  synchronized String summary() {
    int spoken = turns.get();
    return String.join(System.lineSeparator(),
        "Parley figures (measured by the callers; times from each turn's last speech frame):",
        String.format("  caller turns spoken %d, with the user's final transcript %d, with assistant reply audio %d",
            spoken, toTranscriptMs.size(), voiceToVoiceMs.size()),
        "  speech end -> user transcript    " + millis(toTranscriptMs),
        "  speech end -> first reply audio  " + millis(voiceToVoiceMs),
        String.format("  assistant audio frames received %d, server error messages %d%s, calls ended by the server %d%s",
            assistantFrames.get(), serverErrors.get(), quoted(firstServerError.get()), endedEarly.get(),
            quoted(firstEarlyEnd.get())));
  }

  private static String millis(List<Double> values) {
    Percentiles p = new Percentiles(values);
    if (p.count() == 0) {
      return "no samples";
    }
    return String.format("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%d)", p.at(50), p.at(95), p.at(99),
        p.max(), p.count());
  }

  private static String quoted(String first) {
    return first == null ? "" : " (first: " + first + ")";
  }
}
