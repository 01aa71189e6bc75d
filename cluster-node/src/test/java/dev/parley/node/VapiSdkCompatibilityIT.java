package dev.parley.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;

/**
 * Vapi's official server SDK (npm {@code @vapi-ai/server-sdk}, pinned) drives a node in this JVM:
 * {@code src/test/node/sdk-compat/sdk-compat.mjs} creates, lists, reads, updates and deletes
 * assistants, tools, squads and phone numbers and checks every field that comes back.
 *
 * <p>Dependencies: {@code package-lock.json} is committed without {@code resolved} URLs (npm's
 * {@code omit-lockfile-registry-resolved}), only versions and integrity hashes, so {@code npm ci}
 * installs exactly the pinned SDK from whatever registry or mirror npm is configured with, and
 * refuses anything whose hash differs. It runs only when {@code node_modules} is missing or holds
 * another version; after that the test needs no network.
 */
class VapiSdkCompatibilityIT {

  private static final Path SCRIPT_DIR = Path.of("src", "test", "node", "sdk-compat").toAbsolutePath();
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);
  private static final int OUTPUT_LINES_IN_FAILURES = 60;

  private TestNode node;
  private Path dataDir;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    TestCassandra.deleteRecursively(dataDir);
  }

  @Test
  void theOfficialSdkCreatesListsReadsUpdatesAndDeletesEveryResource() throws Exception {
    requireTool("node");
    requireTool("npm");
    installSdkIfNeeded();
    dataDir = TestCassandra.newDataDir("sdk-compat");
    node = TestNode.start(TestCassandra.uniqueKeyspace("sdk"), dataDir, Map.of());
    String key = Files.readString(dataDir.resolve(DevApiKey.FILE_NAME)).strip();

    Run script = run(List.of("node", "sdk-compat.mjs"), Map.of(
        "PARLEY_BASE_URL", "http://127.0.0.1:" + node.port,
        "PARLEY_API_KEY", key), SCRIPT_TIMEOUT);

    assertEquals(0, script.exitCode(), "sdk-compat.mjs failed:\n" + script.tail());
    assertTrue(script.tail().contains("passed, 0 failed"), "sdk-compat.mjs ended early:\n" + script.tail());
  }

  private static void installSdkIfNeeded() throws Exception {
    String pinned = pinnedSdkVersion();
    Path installed = SCRIPT_DIR.resolve("node_modules/@vapi-ai/server-sdk/package.json");
    if (Files.isRegularFile(installed) && Files.readString(installed).contains("\"version\": \"" + pinned + "\"")) {
      return;
    }
    Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_TIMEOUT);
    assertEquals(0, npm.exitCode(), "npm ci in " + SCRIPT_DIR + " failed (it needs the npm registry or a mirror"
        + " once, to fetch @vapi-ai/server-sdk " + pinned + "):\n" + npm.tail());
  }

  private static String pinnedSdkVersion() throws IOException {
    Matcher pin = Pattern.compile("\"@vapi-ai/server-sdk\":\\s*\"(\\d+\\.\\d+\\.\\d+)\"")
        .matcher(Files.readString(SCRIPT_DIR.resolve("package.json")));
    assertTrue(pin.find(), "package.json must pin @vapi-ai/server-sdk to an exact version");
    return pin.group(1);
  }

  private static void requireTool(String tool) throws Exception {
    try {
      Run version = run(List.of(tool, "--version"), Map.of(), Duration.ofSeconds(30));
      assertEquals(0, version.exitCode(), tool + " --version failed:\n" + version.tail());
    } catch (IOException notFound) {
      throw new AssertionError(tool + " is not installed or not on the PATH: this test runs Vapi's Node SDK"
          + " (Node.js 18 or newer; on Debian: apt-get install -y nodejs npm)", notFound);
    }
  }

  private record Run(int exitCode, String tail) {}

  /** Runs in the script directory; every output line goes to the test log as it comes. */
  private static Run run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          System.out.println("[" + command.get(0) + "] " + line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > OUTPUT_LINES_IN_FAILURES) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        System.out.println("[" + command.get(0) + "] output lost: " + e);
      }
    }, "sdk-compat-output");
    pump.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      pump.join(5_000);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
          + ":\n" + String.join("\n", tail));
    }
    pump.join(5_000);
    synchronized (tail) {
      return new Run(process.exitValue(), String.join("\n", tail));
    }
  }
}
