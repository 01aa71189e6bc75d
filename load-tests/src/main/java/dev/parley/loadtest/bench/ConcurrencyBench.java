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
 * frames, as a phone sends) and each speaks one turn every period, at a random phase. For every
 * assistant frame after the first of its utterance, jitter = |inter-arrival - 20 ms|. Prints jitter
 * p50/p99/max and the frames more than 20 ms late, for a ramp of N; stops after a step whose p99
 * exceeds 20 ms. The robots share the machine with the node: figures are for comparison.
 *
 * <p>Usage: {@code ConcurrencyBench <base-url> <api-key-file> [ramp=50,100,200,500,1000] [seconds-per-step=30]
 * [speak-every-seconds=10]}
 */
public final class ConcurrencyBench {

  private static final double FRAME_MS = 20;
  private static final double P99_LIMIT_MS = 20;

  private ConcurrencyBench() {}

  /** One ramp step's figures. */
  private record Step(int calls, int connected, int failed, int utterances, double[] jitter, int late) {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (RobotCallException | IllegalArgumentException e) {
      System.err.println("ConcurrencyBench: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ConcurrencyBench <base-url> <api-key-file> [ramp=50,100,200,500,1000]"
          + " [seconds-per-step=30] [speak-every-seconds=10]");
      System.exit(2);
    }
    ParleyApi api = BenchSetup.api(args[0], args[1]);
    int[] ramp = Arrays.stream((args.length > 2 ? args[2] : "50,100,200,500,1000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int stepSeconds = BenchSetup.intArg(args, 3, 30);
    int speakEvery = BenchSetup.intArg(args, 4, 10);
    String assistantId = BenchSetup.createAssistant(api);
    byte[] prompt = new CallerVoice().pcm(BenchSetup.PROMPTS.get(0));

    System.out.printf("concurrency: ramp %s, %d s per step, each call speaks every %d s; %d cores%n",
        Arrays.toString(ramp), stepSeconds, speakEvery, Runtime.getRuntime().availableProcessors());
    System.out.printf("%6s %9s %6s %10s %9s %8s %8s %8s %10s%n",
        "calls", "connected", "failed", "utterances", "frames", "p50 ms", "p99 ms", "max ms", "late>20ms");
    for (int calls : ramp) {
      Step step = runStep(api, assistantId, prompt, calls, stepSeconds, speakEvery);
      Percentiles jitter = new Percentiles(step.jitter());
      System.out.printf("%6d %9d %6d %10d %9d %8.1f %8.1f %8.1f %10d%n", step.calls(), step.connected(), step.failed(),
          step.utterances(), jitter.count(), jitter.at(50), jitter.at(99), jitter.max(), step.late());
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

  private static Step runStep(ParleyApi api, String assistantId, byte[] prompt, int calls, int seconds,
      int speakEvery) throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(Math.max(2, cores));
    ScheduledExecutorService turns = Executors.newSingleThreadScheduledExecutor();
    ExecutorService dialers = Executors.newFixedThreadPool(16);
    RobotOptions options = RobotOptions.defaults().withClock(clock).withKeepAudio(false)
        .withWaitTimeout(Duration.ofSeconds(30));
    AtomicInteger failed = new AtomicInteger();
    List<RobotCaller> robots = dialAll(api, assistantId, options, calls, dialers, failed);
    for (RobotCaller robot : robots) {
      long phase = ThreadLocalRandom.current().nextLong(speakEvery * 1000L);
      turns.scheduleAtFixedRate(() -> speak(robot, prompt), phase, speakEvery * 1000L, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(seconds * 1000L);
    turns.shutdownNow();
    CompletableFuture.allOf(robots.stream()
        .map(robot -> CompletableFuture.runAsync(() -> hangUp(robot), dialers))
        .toArray(CompletableFuture[]::new)).join();
    dialers.shutdown();
    clock.shutdownNow();
    return measure(robots, calls, failed.get());
  }

  private static List<RobotCaller> dialAll(ParleyApi api, String assistantId, RobotOptions options, int calls,
      ExecutorService dialers, AtomicInteger failed) {
    List<CompletableFuture<RobotCaller>> dialing = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
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

  private static Step measure(List<RobotCaller> robots, int calls, int failed) {
    List<Double> jitter = new ArrayList<>();
    int utterances = 0;
    int late = 0;
    for (RobotCaller robot : robots) {
      List<Utterance> heard = CallAnalysis.utterances(robot.recording().frames(), robot.recording().messages(),
          CallAnalysis.UTTERANCE_GAP_NANOS);
      utterances += heard.size();
      for (Utterance utterance : heard) {
        List<ReceivedFrame> frames = utterance.frames();
        for (int i = 1; i < frames.size(); i++) {
          double gap = (frames.get(i).atNanos() - frames.get(i - 1).atNanos()) / 1e6;
          jitter.add(Math.abs(gap - FRAME_MS));
          if (gap - FRAME_MS > FRAME_MS) {
            late++;
          }
        }
      }
    }
    return new Step(calls, robots.size(), failed, utterances,
        jitter.stream().mapToDouble(Double::doubleValue).toArray(), late);
  }
}
