package dev.parley.loadtest.loopback;

import java.util.concurrent.atomic.AtomicLong;

/** What the instant providers served, counted as they serve it; printed when they stop. */
public final class ServedFigures {

  final AtomicLong chatCompletions = new AtomicLong();
  final AtomicLong chatDeltas = new AtomicLong();
  final AtomicLong speechRequests = new AtomicLong();
  final AtomicLong speechBytes = new AtomicLong();
  final AtomicLong listenSockets = new AtomicLong();
  final AtomicLong listenAudioBytes = new AtomicLong();
  final AtomicLong finalizesAnswered = new AtomicLong();
  final AtomicLong badRequests = new AtomicLong();

  public String summary() {
    return "chat completions " + chatCompletions + " (" + chatDeltas + " deltas)"
        + ", speech requests " + speechRequests + " (" + speechBytes + " PCM bytes)"
        + ", listen sockets " + listenSockets + " (" + listenAudioBytes + " audio bytes in, "
        + finalizesAnswered + " finalizes answered)"
        + ", bad requests " + badRequests;
  }
}
