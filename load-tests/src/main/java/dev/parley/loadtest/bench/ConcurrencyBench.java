package dev.parley.loadtest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.parley.loadtest.robot.CallAnalysis;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.ReceivedFrame;
import dev.parley.loadtest.robot.RobotCallException;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.Utterance;

/**
 * How steady assistant audio stays with many calls at once: N robot calls stay mostly silent (silence
 * frames, as a phone sends) and each speaks one turn every period, at a random phase. The node sends
 * the first {@code lookahead} frames of an utterance at once and then one every 20 ms. Jitter is each
 * frame's lateness against that 20 ms clock: frame i (after the lookahead burst) is due at
 * {@code start + (i - lookahead) * 20 ms}, with {@code start} the earliest that fits every frame
 * of the utterance, so a frame on time is 0 ms late and a caller with a jitter buffer of J ms hears
 * no gap while frames are at most J ms late. (Inter-arrival times would count the intended burst as
 * jitter, and forgive a frame that is late along with all that follow it.) Prints jitter
 * p50/p99/max and the frames more than 20 ms late, for a ramp of N; stops after a step whose p99
 * exceeds 20 ms. Per step it also prints the calls connected, failed dials, assistant frames
 * received, the machine's 1-minute load average and busy CPU share over the step, and the node's
 * resident memory and CPU time per call-second (given its pid; for a cluster, the sum over the pids
 * given), all taken while the calls are still open. Providers default to
 * loopback ({@link BenchProviders}): a thousand PocketSphinx streams do not fit a small machine.
 * The robots share the machine with the node: figures are for comparison.
 *
 * A warm-up step ({@code --warm-up} seconds at the ramp's first size, not reported) comes first.
 * {@code --line-noise=RMS}: between turns the robots send white noise of that RMS (16-bit sample
 * units; 30 is about -60 dBFS, a quiet phone line) instead of digital silence, which the node's
 * voice detection skips outright.
 *
 * <p>Usage: {@code ConcurrencyBench [--providers=loopback|offline] [--node-pid=PID[,PID...]] [--lookahead=3]
 * [--warm-up=20] [--line-noise=0] <base-url[,base-url...]>
 * <api-key-file>
 * [ramp=50,100,200,500,1000] [seconds-per-step=30] [speak-every-seconds=10]}
 */
public final class ConcurrencyBench {

  private static final double FRAME_MS = 20;
  private static final double P99_LIMIT_MS = 20;

  private ConcurrencyBench() {}

  /** One ramp step's figures. */
  private record Step(int calls, int connected, int failed, int utterances, int frames, double[] jitter, int late,
      Machine machine) {}

  /** The machine while a step's calls are open. */
  private record Machine(double load1, double cpuPercent, double nodeRssMiB, double nodeCpuMsPerCallSecond) {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (RobotCallException | IllegalArgumentException e) {
      System.err.println("ConcurrencyBench: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    BenchArgs cli = new BenchArgs(args, "providers", "node-pid", "lookahead", "warm-up", "line-noise");
    if (cli.size() < 2) {
      System.err.println("usage: ConcurrencyBench [--providers=loopback|offline] [--node-pid=PID[,PID...]] [--lookahead=3] [--warm-up=20] [--line-noise=0] <base-url[,base-url...]>"
          + " <api-key-file> [ramp=50,100,200,500,1000] [seconds-per-step=30] [speak-every-seconds=10]");
      System.exit(2);
    }
    BenchProviders providers = cli.providers(BenchProviders.LOOPBACK);
    String nodePid = cli.option("node-pid", null);
    int lookahead = cli.intOption("lookahead", 3, 1);
    int warmUpSeconds = cli.intOption("warm-up", 20, 1);
    int lineNoise = cli.intOption("line-noise", 0, 0);
    // several base URLs (nodes of one cluster): calls are spread over them in turn
    List<ParleyApi> apis = Arrays.stream(cli.get(0).split(",")).map(String::strip).filter(u -> !u.isEmpty())
        .map(url -> BenchSetup.api(url, cli.get(1))).toList();
    ParleyApi api = apis.get(0);
    int[] ramp = ramp(cli.get(2, "50,100,200,500,1000"));
    int stepSeconds = cli.intAt(3, 30);
    int speakEvery = cli.intAt(4, 10);
    String assistantId = BenchSetup.createAssistant(api, providers);
    byte[] prompt = new CallerVoice().pcm(BenchSetup.PROMPTS.get(0));

    System.out.printf("concurrency: providers %s, ramp %s, %d s per step, each call speaks every %d s; %d cores,"
        + " node pid %s%n", providers.label(), Arrays.toString(ramp), stepSeconds, speakEvery,
        Runtime.getRuntime().availableProcessors(), nodePid == null ? "unknown (no RSS)" : nodePid);
    System.out.println("frames = assistant frames received; paced = those after each utterance's "
        + lookahead + "-frame lookahead burst; jitter = their lateness against the utterance's 20 ms clock;"
        + " load1 = /proc/loadavg, cpu% = busy share of all cores over the step, both at step end;"
        + " node ms/call-s = the node's CPU time over the step per call and second (what a call costs it)");
    System.out.printf("%6s %9s %6s %10s %9s %9s %8s %8s %8s %10s %6s %5s %8s %14s%n", "calls", "connected", "failed",
        "utterances", "frames", "paced", "p50 ms", "p99 ms", "max ms", "late>20ms", "load1", "cpu%", "node MiB",
        "node ms/call-s");
    // A fresh node compiles its hot paths during the first calls: that step would measure the JIT.
    runStep(apis, assistantId, prompt, ramp[0], warmUpSeconds, Math.min(speakEvery, 5), nodePid, lookahead,
        lineNoise);
    for (int calls : ramp) {
      Step step = runStep(apis, assistantId, prompt, calls, stepSeconds, speakEvery, nodePid, lookahead,
          lineNoise);
      Percentiles jitter = new Percentiles(step.jitter());
      Machine machine = step.machine();
      System.out.printf("%6d %9d %6d %10d %9d %9d %8.1f %8.1f %8.1f %10d %6.2f %5.0f %8.0f %14.1f%n", step.calls(),
          step.connected(), step.failed(), step.utterances(), step.frames(), jitter.count(), jitter.at(50),
          jitter.at(99), jitter.max(), step.late(), machine.load1(), machine.cpuPercent(), machine.nodeRssMiB(),
          machine.nodeCpuMsPerCallSecond());
      if (jitter.count() == 0) {
        System.out.println("stopping: no assistant audio was received at " + calls + " calls");
        break;
      }
      if (jitter.at(99) > P99_LIMIT_MS) {
        System.out.printf("stopping: p99 jitter %.1f ms > %.0f ms at %d calls%n", jitter.at(99), P99_LIMIT_MS, calls);
        break;
      }
    }
  }

  private static int[] ramp(String text) {
    try {
      int[] ramp = Arrays.stream(text.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
      if (Arrays.stream(ramp).anyMatch(n -> n <= 0)) {
        throw new NumberFormatException();
      }
      return ramp;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the ramp must be positive call counts separated by commas, not '" + text + "'");
    }
  }

  private static Step runStep(List<ParleyApi> apis, String assistantId, byte[] prompt, int calls, int seconds,
      int speakEvery, String nodePid, int lookahead, int lineNoise) throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(Math.max(2, cores));
    ScheduledExecutorService turns = Executors.newSingleThreadScheduledExecutor();
    ExecutorService dialers = Executors.newFixedThreadPool(16);
    RobotOptions options = RobotOptions.defaults().withClock(clock).withKeepAudio(false)
        .withWaitTimeout(Duration.ofSeconds(30)).withLineNoise(lineNoise);
    AtomicInteger failed = new AtomicInteger();
    MachineLoad.CpuSample cpuAtStart = MachineLoad.cpu();
    List<RobotCaller> robots = dialAll(apis, assistantId, options, calls, dialers, failed);
    // measured once every call is up, so dialling's own cost is not charged to the calls
    double nodeCpuAtStart = MachineLoad.processCpuMillis(nodePid);
    long startNanos = System.nanoTime();
    for (RobotCaller robot : robots) {
      long phase = ThreadLocalRandom.current().nextLong(speakEvery * 1000L);
      turns.scheduleAtFixedRate(() -> speak(robot, prompt), phase, speakEvery * 1000L, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(seconds * 1000L);
    turns.shutdownNow();
    double callSeconds = robots.size() * (System.nanoTime() - startNanos) / 1e9;
    Machine machine = new Machine(MachineLoad.loadAverage1(), MachineLoad.cpu().busyPercentSince(cpuAtStart),
        MachineLoad.rssMiB(nodePid), (MachineLoad.processCpuMillis(nodePid) - nodeCpuAtStart) / callSeconds);
    CompletableFuture.allOf(robots.stream()
        .map(robot -> CompletableFuture.runAsync(() -> hangUp(robot), dialers))
        .toArray(CompletableFuture[]::new)).join();
    dialers.shutdown();
    clock.shutdownNow();
    return measure(robots, calls, failed.get(), machine, lookahead);
  }

  private static List<RobotCaller> dialAll(List<ParleyApi> apis, String assistantId, RobotOptions options,
      int calls, ExecutorService dialers, AtomicInteger failed) {
    List<CompletableFuture<RobotCaller>> dialing = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      ParleyApi api = apis.get(i % apis.size());
      dialing.add(CompletableFuture.supplyAsync(() -> {
        try {
          return RobotCaller.dial(api, assistantId, options);
        } catch (RuntimeException e) {
          if (failed.getAndIncrement() == 0) {
            System.out.println("first failed call: " + e.getMessage());
          }
          return null;
        }
      }, dialers));
    }
    return dialing.stream().map(CompletableFuture::join).filter(r -> r != null).toList();
  }

  private static void speak(RobotCaller robot, byte[] prompt) {
    if (robot.recording().closeStatus() == null) {
      robot.say(prompt);
    }
  }

  private static void hangUp(RobotCaller robot) {
    try {
      if (robot.recording().closeStatus() == null) {
        robot.endCall();
      }
    } catch (RuntimeException e) {
      // already gone: close below still releases the socket
    }
    robot.close();
  }

  /** Lateness in ms of each paced frame of one utterance (those after the lookahead burst). */
  static double[] lateness(List<ReceivedFrame> frames, int lookahead) {
    if (frames.size() <= lookahead) {
      return new double[0];
    }
    double[] offset = new double[frames.size() - lookahead];
    double start = Double.MAX_VALUE;
    for (int i = 0; i < offset.length; i++) {
      offset[i] = frames.get(lookahead + i).atNanos() / 1e6 - i * FRAME_MS;
      start = Math.min(start, offset[i]);
    }
    for (int i = 0; i < offset.length; i++) {
      offset[i] -= start;
    }
    return offset;
  }

  private static Step measure(List<RobotCaller> robots, int calls, int failed, Machine machine, int lookahead) {
    List<Double> jitter = new ArrayList<>();
    int utterances = 0;
    int received = 0;
    int late = 0;
    for (RobotCaller robot : robots) {
      received += robot.recording().frames().size();
      List<Utterance> heard = CallAnalysis.utterances(robot.recording().frames(), robot.recording().messages(),
          CallAnalysis.UTTERANCE_GAP_NANOS);
      utterances += heard.size();
      for (Utterance utterance : heard) {
        List<ReceivedFrame> frames = utterance.frames();
        double[] lateness = lateness(frames, lookahead);
        for (double ms : lateness) {
          jitter.add(ms);
          if (ms > FRAME_MS) {
            late++;
          }
        }
      }
    }
    return new Step(calls, robots.size(), failed, utterances, received,
        jitter.stream().mapToDouble(Double::doubleValue).toArray(), late, machine);
  }
}
