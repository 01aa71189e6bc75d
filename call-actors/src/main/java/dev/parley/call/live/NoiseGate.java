package dev.parley.call.live;

/**
 * The line's own noise level, learned from frames that held no voice. A frame no louder than
 * {@link #MARGIN} times that level (6 dB) is the line, not a caller, and the voice model need not be
 * asked about it. A phone line's hiss is above the digital-silence peak, so without this the model
 * (about 150 us a frame on one core) would run on every frame of every quiet caller.
 *
 * <p>Speech never teaches it: only frames judged silent, by the model or by this gate, do. A level
 * that drops is taken at once; one that rises is followed by {@link #FOLLOW} of the difference a
 * frame (about half a second to catch up with louder noise, during which the model is asked).
 * Speech less than 6 dB above the line's noise goes unheard; the model itself misses most of it.
 */
final class NoiseGate {

  static final double MARGIN = 2.0;
  static final double FOLLOW = 0.05;

  private double floor = Double.NaN;

  /** A frame's level: its mean absolute sample. */
  static double level(short[] samples) {
    long sum = 0;
    for (short sample : samples) {
      sum += Math.abs(sample);
    }
    return (double) sum / samples.length;
  }

  /** Whether a frame of this level is the line's noise; false until some noise has been heard. */
  boolean isNoise(double level) {
    return level <= floor * MARGIN;
  }

  /** Takes the level of a frame that held no voice. */
  void learn(double level) {
    if (Double.isNaN(floor) || level < floor) {
      floor = level;
    } else {
      floor += (level - floor) * FOLLOW;
    }
  }
}
