package dev.parley.deploy;

import java.util.ArrayList;
import java.util.List;

/** A Dockerfile's instructions, continuation lines joined and comments dropped. */
record Dockerfile(List<Instruction> instructions) {

  /** One instruction: its keyword (upper case) and the rest of its line. */
  record Instruction(String keyword, String arguments) {}

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String[] parts = current.toString().strip().split("\\s+", 2);
      instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
      current.setLength(0);
    }
    return new Dockerfile(instructions);
  }

  List<String> arguments(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }
}
