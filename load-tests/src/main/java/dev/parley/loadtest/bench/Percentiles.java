package dev.parley.loadtest.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample, for printing benchmark figures. */
public final class Percentiles {

  private final double[] sorted;

  public Percentiles(Collection<Double> values) {
    this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  public Percentiles(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The value at percentile {@code p} (0-100); NaN when empty. */
  public double at(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
