package dev.parley.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node JVM of a {@link LocalCluster}: its fixed ports (kept across restarts, so a restarted
 * node is the same seed address), its command line and its process. Output is appended to its log.
 * The node runs under {@link ExitWithParent} (its classpath must hold this module's classes too),
 * so it does not outlive the JVM that started it.
 * The JVM's options, settings and classpath go in an argument file beside the log: ONNX Runtime
 * 1.29 (the Silero voice detector) crashes the JVM with SIGSEGV when loading in a process whose
 * command line is longer than about 4 KB, which a build tree's classpath is.
 */
final class NodeProcess {

  static final String MAIN_CLASS = "dev.parley.node.Main";

  final int index;
  final int httpPort;
  final int clusterPort;
  final int managementPort;
  final Path log;
  final Path argumentFile;
  private Process process;
  private int starts;

  NodeProcess(int index, int httpPort, int clusterPort, int managementPort, Path log) {
    this.index = index;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.managementPort = managementPort;
    this.log = log;
    this.argumentFile = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + ".args");
  }

  String remotingAddress() {
    return "pekko://parley@127.0.0.1:" + clusterPort;
  }

  synchronized void start(LocalClusterSettings settings, String seedNodes) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("node " + index + " is already running (pid " + process.pid() + ")");
    }
    List<String> arguments = jvmArguments(settings, seedNodes);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + argumentFile, ExitWithParent.class.getName(), MAIN_CLASS);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // only the -D settings configure the node: no PARLEY_* variable of this shell leaks in
    builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
    builder.environment().put("PARLEY_PROFILE", "dev");
    try {
      Files.write(argumentFile, arguments.stream().map(NodeProcess::quoted).toList(), StandardCharsets.UTF_8);
      Files.writeString(log, "=== node " + index + " start " + (++starts) + " at " + Instant.now() + ": "
          + String.join(" ", command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start node " + index, e);
    }
  }

  /** JVM options, {@code -D} settings and the classpath, one per line of the argument file. */
  List<String> jvmArguments(LocalClusterSettings settings, String seedNodes) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("parley.http.port", Integer.toString(httpPort));
    properties.put("parley.cluster.port", Integer.toString(clusterPort));
    properties.put("pekko.management.http.port", Integer.toString(managementPort));
    properties.put("parley.cluster.seed-nodes", seedNodes);
    properties.put("parley.cassandra.embedded.enabled", "false");
    properties.put("parley.cassandra.contact-points", settings.cassandraContactPoint());
    properties.put("parley.cassandra.keyspace", settings.keyspace());
    properties.put("parley.data-dir", settings.dataDir().toAbsolutePath().toString());
    properties.put("parley.metrics.instrumentation", "false");
    properties.putAll(settings.properties());
    List<String> arguments = new ArrayList<>(settings.jvmOptions());
    properties.forEach((key, value) -> arguments.add("-D" + key + "=" + value));
    arguments.add("-cp");
    arguments.add(settings.classpath());
    return arguments;
  }

  /** An argument file's quoting: double quotes, with backslashes and quotes escaped. */
  private static String quoted(String argument) {
    return '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The running process; null before the first start. */
  synchronized Process process() {
    return process;
  }

  /** The last lines of the node's log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }
}
