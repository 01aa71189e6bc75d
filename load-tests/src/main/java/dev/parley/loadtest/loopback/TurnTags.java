package dev.parley.loadtest.loopback;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caller turns a loopback transcriber can tell apart, so a test knows which turn the platform heard:
 * turn {@code tag} (0 to {@value #COUNT} - 1) carries a quiet tone at 4000 + 100 x tag Hz under its
 * speech, which a {@link Detector} finds again (Goertzel filters on 20 ms blocks, whose 50 Hz bins
 * the tones sit on) and which {@link InstantProviders} in tagged mode transcribes as "turn 7".
 * Speech keeps the voice detector hearing a voice; the tone is well above the voice's main energy.
 */
public final class TurnTags {

  public static final int COUNT = 40;
  private static final int SAMPLE_RATE = 16_000;
  private static final int BLOCK = 320;
  /**
   * Loud enough to find (MIN_POWER is a third of it), quiet enough for the voice detector: at 2,000
   * the tones from 7.2 kHz up split or hid the speech under them from Silero
   * ({@code TurnTagsVoiceDetectionTest}), and the turns tagged 37 and 38 went unanswered.
   */
  private static final double AMPLITUDE = 800;
  /** The strongest tag tone must be this many times stronger than the next one. */
  private static final double DOMINANCE = 4;
  /** ...and at least as strong as a tone of amplitude 300 over 10 blocks (200 ms). */
  private static final double MIN_POWER = 10 * Math.pow(300 * BLOCK / 2.0, 2);
  private static final Pattern TRANSCRIPT = Pattern.compile("turn (\\d+)");
  private static final Pattern REPLY = Pattern.compile("heard turn (\\d+) after (\\d+) turns");

  /** What the tagged chat model answered: the turn it heard, with how many user turns before it. */
  public record Reply(int tag, int earlierTurns) {}

  private TurnTags() {}

  public static int hertz(int tag) {
    if (tag < 0 || tag >= COUNT) {
      throw new IllegalArgumentException("a turn tag is 0 to " + (COUNT - 1) + ", not " + tag);
    }
    return 4_000 + 100 * tag;
  }

  /** {@code pcm16k} (16 kHz s16le) with turn {@code tag}'s tone mixed in, clipped to 16 bits. */
  public static byte[] tagged(byte[] pcm16k, int tag) {
    double step = 2 * Math.PI * hertz(tag) / SAMPLE_RATE;
    byte[] out = new byte[pcm16k.length];
    for (int i = 0; i + 1 < pcm16k.length; i += 2) {
      int sample = (short) ((pcm16k[i] & 0xff) | (pcm16k[i + 1] << 8));
      long mixed = Math.round(sample + AMPLITUDE * Math.sin(step * (i / 2)));
      short clipped = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mixed));
      out[i] = (byte) clipped;
      out[i + 1] = (byte) (clipped >> 8);
    }
    return out;
  }

  public static String transcript(int tag) {
    return "turn " + tag;
  }

  /** The tagged chat model's answer to turn {@code tag} with {@code earlierTurns} user turns before it in context. */
  public static String reply(int tag, int earlierTurns) {
    return "Heard " + transcript(tag) + " after " + earlierTurns + " turns.";
  }

  /** A {@link #reply} read back (from a transcript or a stored message), if the text is one. */
  public static java.util.Optional<Reply> parseReply(String text) {
    Matcher matcher = REPLY.matcher(text == null ? "" : text.toLowerCase(java.util.Locale.ROOT));
    return matcher.find()
        ? java.util.Optional.of(new Reply(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))))
        : java.util.Optional.empty();
  }

  /** The tag in a transcript or reply that names one ("turn 7"), if any. */
  public static OptionalInt parse(String text) {
    Matcher matcher = TRANSCRIPT.matcher(text == null ? "" : text.toLowerCase(java.util.Locale.ROOT));
    return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
  }

  /** Finds the tag tone in audio fed to it (16 kHz s16le, any chunking) since the last reset. */
  public static final class Detector {

    private final double[] power = new double[COUNT];
    private final double[] block = new double[BLOCK];
    private int filled;
    private byte pendingLow;
    private boolean hasPendingLow;

    public void accept(byte[] pcm16k) {
      for (byte b : pcm16k) {
        if (!hasPendingLow) {
          pendingLow = b;
          hasPendingLow = true;
          continue;
        }
        hasPendingLow = false;
        block[filled++] = (short) ((pendingLow & 0xff) | (b << 8));
        if (filled == BLOCK) {
          addBlock();
          filled = 0;
        }
      }
    }

    public OptionalInt tag() {
      int best = 0;
      for (int tag = 1; tag < COUNT; tag++) {
        if (power[tag] > power[best]) {
          best = tag;
        }
      }
      double second = 0;
      for (int tag = 0; tag < COUNT; tag++) {
        if (tag != best) {
          second = Math.max(second, power[tag]);
        }
      }
      return power[best] >= MIN_POWER && power[best] >= DOMINANCE * second ? OptionalInt.of(best) : OptionalInt.empty();
    }

    public void reset() {
      java.util.Arrays.fill(power, 0);
      filled = 0;
      hasPendingLow = false;
    }

    /** Goertzel: the power of each tag's bin over the block. */
    private void addBlock() {
      for (int tag = 0; tag < COUNT; tag++) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hertz(tag) / SAMPLE_RATE);
        double previous = 0;
        double beforePrevious = 0;
        for (double sample : block) {
          double current = sample + coefficient * previous - beforePrevious;
          beforePrevious = previous;
          previous = current;
        }
        power[tag] += previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
      }
    }
  }
}
