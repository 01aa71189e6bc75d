package dev.parley.call.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.apache.pekko.util.ByteString;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.VoiceActivityDetector;

/**
 * Splits a caller's audio into speech segments with a voice detector: speech starts after
 * {@code startFrames} frames above the start threshold, ends after {@code hangoverMs} below the end
 * threshold. Only speech (plus {@code preRollMs} before it) goes on to the transcriber. Stateful:
 * one per connection, fed from one stream stage.
 */
final class VadSegmenter implements AutoCloseable {

  static final float START_THRESHOLD = 0.5f;
  static final float END_THRESHOLD = 0.35f;
  /** Frames whose loudest sample is below this (about -54 dBFS) are silence without asking the model. */
  static final int SILENCE_PEAK = 64;

  private final VoiceActivityDetector.Session session;
  private final int frameSamples;
  private final int frameBytes;
  private final long frameNanos;
  private final int startFrames;
  private final int hangoverFrames;
  private final int preRollFrames;

  private ByteString pending = ByteString.emptyByteString();
  private final Deque<ByteString> preRoll = new ArrayDeque<>();
  private boolean speaking;
  private int voicedRun;
  private int silentRun;
  private long lastVoiceNanos;
  private final NoiseGate noise = new NoiseGate();

  VadSegmenter(VoiceActivityDetector vad, int startFrames, int hangoverMs, int preRollMs) {
    this.session = vad.open();
    this.frameSamples = vad.frameSamples();
    this.frameBytes = frameSamples * Pcm16.BYTES_PER_SAMPLE;
    this.frameNanos = frameSamples * 1_000_000_000L / Pcm16.SAMPLE_RATE;
    long frameMs = Math.max(1, frameNanos / 1_000_000);
    this.startFrames = Math.max(1, startFrames);
    this.hangoverFrames = (int) Math.max(1, hangoverMs / frameMs);
    this.preRollFrames = (int) Math.max(0, preRollMs / frameMs);
  }

  /** Takes audio that arrived at {@code nowNanos}; returns what it decided, in order. */
  List<VadEvent> accept(ByteString pcm, long nowNanos) {
    pending = pending.concat(pcm);
    List<VadEvent> out = new ArrayList<>();
    int frames = pending.size() / frameBytes;
    for (int i = 0; i < frames; i++) {
      ByteString frame = pending.slice(i * frameBytes, (i + 1) * frameBytes);
      // Frames that arrived together are spread back over the time they cover.
      long frameNanosAt = nowNanos - (frames - 1 - i) * frameNanos;
      step(frame, frameNanosAt, out);
    }
    pending = pending.drop(frames * frameBytes);
    return out;
  }

  private void step(ByteString frame, long atNanos, List<VadEvent> out) {
    short[] samples = samples(frame);
    float probability = probability(samples);
    if (!speaking) {
      voicedRun = probability >= START_THRESHOLD ? voicedRun + 1 : 0;
      preRoll.addLast(frame);
      if (voicedRun >= startFrames) {
        speaking = true;
        silentRun = 0;
        lastVoiceNanos = voiceEndNanos(samples, atNanos);
        // a frame's time is when its last sample arrived: speech began a whole frame before that
        out.add(new VadEvent.SpeechStarted(atNanos - startFrames * frameNanos));
        ByteString lead = ByteString.emptyByteString();
        for (ByteString f : preRoll) {
          lead = lead.concat(f);
        }
        preRoll.clear();
        out.add(new VadEvent.Speech(lead));
      } else {
        while (preRoll.size() > preRollFrames + startFrames) {
          preRoll.removeFirst();
        }
      }
      return;
    }
    out.add(new VadEvent.Speech(frame));
    if (probability < END_THRESHOLD) {
      silentRun++;
      if (silentRun >= hangoverFrames) {
        speaking = false;
        voicedRun = 0;
        out.add(new VadEvent.SpeechEnded(lastVoiceNanos));
      }
    } else {
      silentRun = 0;
      lastVoiceNanos = voiceEndNanos(samples, atNanos);
    }
  }

  /**
   * Near-silent frames, and frames no louder than the line's noise, cannot be speech: skipping the
   * model for them is what lets a node carry many callers who are quiet most of the time. While
   * speech may be starting or is going on, the model hears every frame.
   */
  private float probability(short[] samples) {
    if (peak(samples) < SILENCE_PEAK) {
      return 0f;
    }
    double level = NoiseGate.level(samples);
    boolean listening = speaking || voicedRun > 0;
    if (!listening && noise.isNoise(level)) {
      noise.learn(level);
      return 0f;
    }
    float probability = session.speechProbability(samples);
    if (!listening && probability < END_THRESHOLD) {
      noise.learn(level);
    }
    return probability;
  }

  /**
   * When the voice in a voiced frame that arrived at {@code atNanos} ended: its last sample above
   * the silence peak. The turn waits {@code waitSeconds} from the end of speech; counting from the
   * frame's end instead would add up to a frame (32 ms) of quiet to every turn.
   */
  private static long voiceEndNanos(short[] samples, long atNanos) {
    int quiet = 0;
    for (int i = samples.length - 1; i >= 0 && Math.abs(samples[i]) < SILENCE_PEAK; i--) {
      quiet++;
    }
    return atNanos - quiet * 1_000_000_000L / Pcm16.SAMPLE_RATE;
  }

  private static int peak(short[] samples) {
    int peak = 0;
    for (short sample : samples) {
      peak = Math.max(peak, Math.abs(sample));
    }
    return peak;
  }

  boolean speaking() {
    return speaking;
  }

  private short[] samples(ByteString frame) {
    short[] samples = new short[frameSamples];
    // one bulk copy: this runs for every frame of every caller
    frame.asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
    return samples;
  }

  @Override
  public void close() {
    session.close();
  }
}
