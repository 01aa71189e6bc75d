package dev.parley.call.live;

import java.util.ArrayList;
import java.util.List;

/**
 * What one assistant utterance has sent to the caller, sentence by sentence, so that an
 * interruption knows exactly what was heard. Audio leaves paced in real time with a small
 * lookahead: what the caller has heard at a moment is the audio time elapsed since the first frame
 * left, capped by what was sent. Written by the reply stream, read by the entity: synchronized.
 */
final class Playback {

  /** A sentence's place in the audio; {@code complete} once all its audio has come from the voice. */
  private record Span(String text, long startMs, long durationMs, boolean complete) {}

  private final List<Span> spans = new ArrayList<>();
  private final StringBuilder generated = new StringBuilder();
  private long sentMs;
  private long firstFrameNanos = -1;
  private long synthesizedMs;

  /** A sentence's audio begins where the audio synthesized so far ends; the one before is whole. */
  synchronized void sentenceStarted(String text) {
    audioComplete();
    spans.add(new Span(text, synthesizedMs, 0, false));
  }

  /** More audio of the latest sentence. */
  synchronized void sentenceAudio(long ms) {
    if (spans.isEmpty()) {
      return;
    }
    Span last = spans.remove(spans.size() - 1);
    spans.add(new Span(last.text, last.startMs, last.durationMs + ms, false));
    synthesizedMs += ms;
  }

  /** The latest sentence's audio is all there. */
  synchronized void audioComplete() {
    if (!spans.isEmpty() && !spans.get(spans.size() - 1).complete) {
      Span last = spans.remove(spans.size() - 1);
      spans.add(new Span(last.text, last.startMs, last.durationMs, true));
    }
  }

  synchronized void frameSent(long frameMs, long nowNanos) {
    if (firstFrameNanos < 0) {
      firstFrameNanos = nowNanos;
    }
    sentMs += frameMs;
  }

  synchronized boolean started() {
    return firstFrameNanos >= 0;
  }

  synchronized long firstFrameNanos() {
    return firstFrameNanos;
  }

  /** Milliseconds of audio the caller has heard by {@code nowNanos}. */
  synchronized long heardMs(long nowNanos) {
    if (firstFrameNanos < 0) {
      return 0;
    }
    return Math.min(sentMs, (nowNanos - firstFrameNanos) / 1_000_000);
  }

  /** Reply text as it was written (by the model or the client), before any of it was voiced. */
  synchronized void textGenerated(String text) {
    generated.append(text);
  }

  /** All the reply meant to say: the text written so far, voiced or not. */
  synchronized String fullText() {
    String written = generated.toString().strip().replaceAll("\\s+", " ");
    return written.isEmpty() ? String.join(" ", spans.stream().map(Span::text).toList()) : written;
  }

  /**
   * The words heard by {@code heardMs}: whole sentences whose audio had all been played by then,
   * and of the sentence playing then, its words in proportion to the time played. A sentence the
   * voice has not sent all its audio for is never wholly heard, and one without audio not at all.
   */
  synchronized String heardText(long heardMs) {
    List<String> words = new ArrayList<>();
    for (Span span : spans) {
      if (span.durationMs == 0) {
        continue; // no audio: not yet, or a sentence the voice made nothing of
      }
      if (heardMs <= span.startMs) {
        break;
      }
      if (span.complete && heardMs >= span.startMs + span.durationMs) {
        words.add(span.text);
        continue;
      }
      String[] sentenceWords = span.text.split("\\s+");
      double played = Math.min(1, (double) (heardMs - span.startMs) / span.durationMs);
      int count = (int) Math.floor(sentenceWords.length * played);
      count = span.complete ? count : Math.min(count, sentenceWords.length - 1);
      if (count > 0) {
        words.add(String.join(" ", java.util.Arrays.copyOf(sentenceWords, count)));
      }
      break;
    }
    return String.join(" ", words);
  }
}
