package dev.parley.loadtest.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A benchmark's command line: {@code --name=value} options anywhere, the rest positional. */
public final class BenchArgs {

  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  public BenchArgs(String[] args, String... known) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (eq < 0 || !List.of(known).contains(name)) {
        throw new IllegalArgumentException("unknown option " + arg + "; known: --" + String.join("=..., --", known) + "=...");
      }
      options.put(name, arg.substring(eq + 1));
    }
  }

  public int size() {
    return positional.size();
  }

  String get(int index) {
    return positional.get(index);
  }

  String get(int index, String fallback) {
    return positional.size() > index ? positional.get(index) : fallback;
  }

  int intAt(int index, int fallback) {
    String value = get(index, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("argument " + (index + 1) + " must be a whole number, not '" + value + "'");
    }
  }

  /** Option {@code --name}, a whole number of at least {@code min}, or {@code fallback} when absent. */
  int intOption(String name, int fallback, int min) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a whole number of at least " + min + ", not '"
        + value + "'");
  }

  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  BenchProviders providers(BenchProviders fallback) {
    String value = options.get("providers");
    return value == null ? fallback : BenchProviders.parse(value);
  }
}
