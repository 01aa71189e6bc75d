package dev.parley.loadtest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.RobotCallException;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.TurnTiming;

/**
 * Voice-to-voice latency of a running node: robot calls speak turns and wait for each reply. Prints,
 * per turn, the robot's voice-to-voice (last caller frame sent to first reply frame received), the
 * server's own breakdown from GET /call/{id} (artifact.performanceMetrics.turnLatencies), and
 * "transport" = robot voice-to-voice minus the server's turn latency, per turn. With loopback
 * providers (no thinking time) it also prints the platform's own overhead: turn latency minus the
 * designed pause {@code startSpeakingPlan.waitSeconds}, and turn latency minus the measured
 * endpointing.
 *
 * <p>{@code --warm-up=N} calls (default 0) run first, the same way, and are not reported: a fresh
 * node's JIT is still compiling its hot paths during its first calls.
 *
 * <p>Usage: {@code VoiceLatencyBench [--providers=offline|loopback] [--warm-up=0] <base-url> <api-key-file>
 * [calls=10] [turns-per-call=3] [concurrent=3]}
 */
public final class VoiceLatencyBench {

  private static final String[] SERVER_PARTS =
      {"endpointingLatency", "transcriberLatency", "modelLatency", "voiceLatency", "turnLatency"};

  private VoiceLatencyBench() {}

  /** One call's figures: the robot's per-turn voice-to-voice and the server's per-turn latencies. */
  private record CallResult(List<Double> voiceToVoice, List<JsonNode> serverTurns) {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (RobotCallException | IllegalArgumentException e) {
      System.err.println("VoiceLatencyBench: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    BenchArgs cli = new BenchArgs(args, "providers", "warm-up");
    if (cli.size() < 2) {
      System.err.println("usage: VoiceLatencyBench [--providers=offline|loopback] [--warm-up=0] <base-url> <api-key-file>"
          + " [calls=10] [turns-per-call=3] [concurrent=3]");
      System.exit(2);
    }
    BenchProviders providers = cli.providers(BenchProviders.OFFLINE);
    ParleyApi api = BenchSetup.api(cli.get(0), cli.get(1));
    int calls = cli.intAt(2, 10);
    int turns = cli.intAt(3, 3);
    int concurrent = cli.intAt(4, 3);
    int warmUpCalls = cli.intOption("warm-up", 0, 0);
    String assistantId = BenchSetup.createAssistant(api, providers);
    CallerVoice voice = new CallerVoice();
    List<byte[]> prompts = BenchSetup.PROMPTS.stream().map(voice::pcm).toList();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(1);
    RobotOptions options = RobotOptions.defaults().withClock(clock).withWaitTimeout(Duration.ofSeconds(30));
    System.out.printf("voice-to-voice: providers %s, %d calls x %d turns, %d at a time, assistant %s (waitSeconds %.1f)%n",
        providers.label(), calls, turns, concurrent, assistantId, BenchProviders.WAIT_SECONDS);

    ExecutorService runners = Executors.newFixedThreadPool(concurrent);
    java.util.concurrent.Callable<CallResult> call = () -> oneCall(api, assistantId, options, prompts, turns);
    if (warmUpCalls > 0) {
      int warmUpFailed = runCalls(runners, warmUpCalls, call, new ArrayList<>());
      System.out.printf("warm-up: %d calls, %d failed (not reported)%n", warmUpCalls, warmUpFailed);
    }
    List<CallResult> results = new ArrayList<>();
    int failed = runCalls(runners, calls, call, results);
    runners.shutdown();
    clock.shutdownNow();
    report(results, failed, providers);
  }

  /** Runs {@code calls} calls on the runners into {@code results}; returns how many failed. */
  private static int runCalls(ExecutorService runners, int calls, java.util.concurrent.Callable<CallResult> call,
      List<CallResult> results) throws InterruptedException {
    List<Future<CallResult>> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      futures.add(runners.submit(call));
    }
    int failed = 0;
    for (Future<CallResult> future : futures) {
      try {
        results.add(future.get());
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        System.out.println("call failed: " + e.getCause().getMessage());
      }
    }
    return failed;
  }

  private static CallResult oneCall(ParleyApi api, String assistantId, RobotOptions options, List<byte[]> prompts,
      int turns) {
    String callId;
    List<Double> voiceToVoice = new ArrayList<>();
    try (RobotCaller robot = RobotCaller.dial(api, assistantId, options)) {
      callId = robot.callId();
      robot.awaitReplyFinished();
      for (int t = 0; t < turns; t++) {
        TurnTiming timing = robot.sayAndAwaitReply(prompts.get(t % prompts.size()));
        voiceToVoice.add(timing.voiceToVoiceMillis().orElseThrow());
      }
      robot.endCall();
      robot.awaitClosed();
    }
    return new CallResult(voiceToVoice, serverTurns(api, callId, turns));
  }

  /** The call's turn latencies as the server recorded them (they may land shortly after the call ends). */
  private static List<JsonNode> serverTurns(ParleyApi api, String callId, int expected) {
    List<JsonNode> latest = List.of();
    for (int attempt = 0; attempt < 20; attempt++) {
      JsonNode call = api.getCall(callId);
      List<JsonNode> turns = new ArrayList<>();
      call.path("artifact").path("performanceMetrics").path("turnLatencies").forEach(turns::add);
      latest = turns;
      if (turns.size() >= expected) {
        break;
      }
      sleep(250);
    }
    return latest;
  }

  private static void report(List<CallResult> results, int failed, BenchProviders providers) {
    List<Double> robot = new ArrayList<>();
    Map<String, List<Double>> server = new LinkedHashMap<>();
    for (String part : SERVER_PARTS) {
      server.put(part, new ArrayList<>());
    }
    List<Double> transport = new ArrayList<>();
    List<Double> afterWait = new ArrayList<>();
    List<Double> afterEndpointing = new ArrayList<>();
    int unpaired = 0;
    for (CallResult result : results) {
      robot.addAll(result.voiceToVoice());
      for (JsonNode turn : result.serverTurns()) {
        for (String part : SERVER_PARTS) {
          if (turn.hasNonNull(part)) {
            server.get(part).add(turn.get(part).asDouble());
          }
        }
        if (turn.path("turnLatency").isNumber()) {
          double turnMs = turn.get("turnLatency").asDouble();
          afterWait.add(turnMs - BenchProviders.WAIT_SECONDS * 1000);
          if (turn.path("endpointingLatency").isNumber()) {
            afterEndpointing.add(turnMs - turn.get("endpointingLatency").asDouble());
          }
        }
      }
      // the server's turns and the robot's turns pair up by position when both saw every turn
      if (result.serverTurns().size() == result.voiceToVoice().size()) {
        for (int i = 0; i < result.voiceToVoice().size(); i++) {
          JsonNode turnLatency = result.serverTurns().get(i).get("turnLatency");
          if (turnLatency != null && turnLatency.isNumber()) {
            transport.add(result.voiceToVoice().get(i) - turnLatency.asDouble());
          }
        }
      } else {
        unpaired++;
      }
    }
    System.out.printf("providers: %s; calls: %d ok, %d failed; turns measured: %d%n", providers.label(), results.size(),
        failed, robot.size());
    System.out.printf("%-40s %6s %9s %9s %9s %9s%n", "figure (ms)", "n", "p50", "p95", "p99", "max");
    row("robot voice-to-voice", robot);
    server.forEach((part, values) -> row("server " + part, values));
    row("transport (robot - server turn)", transport);
    if (providers == BenchProviders.LOOPBACK) {
      // the providers answer at once: what is left is the platform's own work
      row("our overhead (turn - waitSeconds)", afterWait);
      row("our overhead (turn - endpointing)", afterEndpointing);
    }
    if (unpaired > 0) {
      System.out.printf("%d calls had a different number of server turns than robot turns: not in 'transport'%n", unpaired);
    }
  }

  private static void row(String name, List<Double> values) {
    Percentiles p = new Percentiles(values);
    System.out.printf("%-40s %6d %9.1f %9.1f %9.1f %9.1f%n", name, p.count(), p.at(50), p.at(95), p.at(99), p.max());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
