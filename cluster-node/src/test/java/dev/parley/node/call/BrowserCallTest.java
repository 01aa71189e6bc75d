package dev.parley.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Wav;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/**
 * The dashboard's talk page end to end: Debian Chromium, driven by the frontend's
 * {@code e2e/talk.e2e.mjs}, opens /dashboard/talk.html on a node with a public key, speaks a flite
 * sentence through its fake microphone, hears the weather desk answer, and hangs up.
 */
class BrowserCallTest {

  private static final String SENTENCE = "what is the weather like today";
  // The module directory is Maven's working directory for tests.
  private static final Path FRONTEND = Path.of("..", "frontend").toAbsolutePath().normalize();
  private static final String CHROMIUM = System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium");
  private static final long SCRIPT_TIMEOUT_SECONDS = 150;
  private static final int SCRIPT_WAIT_MS = 120_000;
  private static final int LEAD_SILENCE_MS = 8000;

  private static TestNode node;
  private static ParleyApi api;
  private static String publicKey;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    requireBrowser();
    dir = Files.createTempDirectory("parley-browser-call");
    // A busy machine can take a fresh node's first call past the default 5 s: the page's one call must not meet a 503.
    node = TestNode.start(TestCassandra.uniqueKeyspace("browsercall"), dir, Map.of(
        "parley.call-actors.ask-timeout", "30s", "parley.assistant-registry.ask-timeout", "30s"));
    String org = UUID.randomUUID().toString();
    api = new ParleyApi(URI.create("http://127.0.0.1:" + node.port), node.issue(org, KeyKind.PRIVATE));
    publicKey = node.issue(org, KeyKind.PUBLIC);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void theTalkPageHearsTheCallerAndPlaysTheAnswer() throws Exception {
    String assistantId = api.createAssistant(Assistants.weatherDesk());
    Path microphone = microphoneWav(dir.resolve("caller.wav"));

    long started = System.nanoTime();
    ScriptRun run = runScript(assistantId, microphone);
    System.out.printf("talk.e2e.mjs finished in %d ms (exit %d):%n%s%n",
        (System.nanoTime() - started) / 1_000_000, run.exit(), run.stdout());
    if (run.exit() != 0) {
      fail("talk.e2e.mjs exited " + run.exit() + "\nstdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr());
    }
    JsonNode result = Assistants.JSON.readTree(run.stdout());

    List<String> user = texts(result.path("userTranscripts"));
    assertEquals(1, user.size(), result.toString());
    VoiceCallEndToEndTest.assertWer(SENTENCE, user.get(0), 0.10, "the caller's sentence");
    assertEquals(List.of(Assistants.FIRST_MESSAGE, Assistants.WEATHER_REPLY), texts(result.path("assistantTranscripts")),
        result.toString());
    assertTrue(result.path("assistantAudioMs").asLong() > 1000, "first message and answer played: " + result);
    assertEquals(List.of(), texts(result.path("errors")), result.toString());

    String callId = result.path("callId").asText();
    JsonNode call = api.getCall(callId);
    List<String> said = new ArrayList<>();
    for (JsonNode message : call.path("messages")) {
      said.add(message.path("role").asText() + ": " + message.path("message").asText());
    }
    assertEquals(List.of("bot: " + Assistants.FIRST_MESSAGE, "user: " + user.get(0), "bot: " + Assistants.WEATHER_REPLY),
        said, call.toString());
  }

  /**
   * The caller's sentence between silences. The fake microphone starts with the page's Call button,
   * before the call exists, and the page drops what it captures until the socket is open: the
   * caller waits long enough for the call to connect and greet. The silence after lets the voice
   * detector end the turn.
   */
  private static Path microphoneWav(Path file) {
    byte[] speech = new CallerVoice("rms").pcm(SENTENCE);
    byte[] pcm = new byte[silenceBytes(LEAD_SILENCE_MS) + speech.length + silenceBytes(3000)];
    System.arraycopy(speech, 0, pcm, silenceBytes(LEAD_SILENCE_MS), speech.length);
    new Wav(Pcm16.SAMPLE_RATE, pcm).write(file);
    return file;
  }

  private static int silenceBytes(int ms) {
    return Pcm16.SAMPLE_RATE / 1000 * ms * 2;
  }

  private static ScriptRun runScript(String assistantId, Path microphone) throws Exception {
    Path stdout = dir.resolve("e2e.stdout");
    Path stderr = dir.resolve("e2e.stderr");
    ProcessBuilder builder = new ProcessBuilder("node", "e2e/talk.e2e.mjs").directory(FRONTEND.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(Map.of(
        "PARLEY_URL", "http://127.0.0.1:" + node.port,
        "PARLEY_PUBLIC_KEY", publicKey,
        "PARLEY_ASSISTANT_ID", assistantId,
        "PARLEY_WAV", microphone.toAbsolutePath().toString(),
        "PARLEY_CHROMIUM", CHROMIUM,
        "PARLEY_E2E_TIMEOUT_MS", String.valueOf(SCRIPT_WAIT_MS)));
    Process process = builder.start();
    if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail("talk.e2e.mjs did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s\nstdout:\n" + read(stdout)
          + "\nstderr:\n" + read(stderr));
    }
    return new ScriptRun(process.exitValue(), read(stdout), read(stderr));
  }

  /** Fails (never skips) without the browser pieces: ./test installs both. */
  private static void requireBrowser() {
    if (!Files.isDirectory(FRONTEND.resolve("node_modules/playwright-core"))) {
      fail("No playwright-core in " + FRONTEND.resolve("node_modules") + ": build the frontend module first"
          + " (mvn -pl frontend install runs npm ci there, or run npm ci in " + FRONTEND + ")");
    }
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      fail("No Chromium at " + CHROMIUM + ": install Debian's chromium (scripts/prerequisites.sh does) or set"
          + " PARLEY_CHROMIUM to a Chromium binary");
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }

  private static String read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private record ScriptRun(int exit, String stdout, String stderr) {}
}
