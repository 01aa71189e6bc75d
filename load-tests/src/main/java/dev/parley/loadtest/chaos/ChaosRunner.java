package dev.parley.loadtest.chaos;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;

import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.cluster.LocalClusterSettings;
import dev.parley.loadtest.loopback.InstantProviders;
import dev.parley.loadtest.loopback.TurnTags;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.ReconnectOptions;
import dev.parley.loadtest.robot.RobotCaller;
import dev.parley.loadtest.robot.RobotOptions;
import dev.parley.loadtest.robot.SocketReconnect;

/**
 * A chaos run ({@link ChaosSettings}): tagged loopback providers in this JVM, a {@link LocalCluster}
 * pointed at them, an assistant made over REST, {@link CallSlot} callers spread over the nodes, a
 * {@link NodeKiller} killing and restarting nodes while they talk; when the callers are done, a
 * {@link ChaosChecker} reads every call's journal and the read model, and the result is a
 * {@link ChaosReport}. Blocking; every wait is bounded.
 */
public final class ChaosRunner {

  private static final String ASSISTANT = """
      {"name": "chaos", "firstMessage": "Hello.", "startSpeakingPlan": {"waitSeconds": 0.4},
       "model": {"provider": "openai", "model": "gpt-chaos"},
       "voice": {"provider": "openai", "voiceId": "alloy"},
       "transcriber": {"provider": "deepgram"}}""";
  /** No comma: a pause inside the turn could split it into two turns that carry the same tag. */
  private static final String SENTENCE = "Tell me more about that please";
  private static final Duration NODE_READY = Duration.ofMinutes(3);
  private static final Duration FIRST_CALLS_LIVE = Duration.ofSeconds(60);
  private static final Duration READ_MODEL_WAIT = Duration.ofSeconds(60);
  private static final Duration END_SLACK = Duration.ofSeconds(60);

  private ChaosRunner() {}

  public static ChaosReport run(ChaosSettings settings) throws Exception {
    long started = System.nanoTime();
    ActorSystem<Void> providerSystem = ActorSystem.create(Behaviors.empty(), "chaos-providers",
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
            .withFallback(ConfigFactory.defaultReference()).resolve());
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, daemon("chaos-robot-clock"));
    ExecutorService callers = Executors.newFixedThreadPool(settings.calls(), daemon("chaos-caller"));
    try {
      int providersPort = InstantProviders.startTagged(providerSystem, 0).binding().toCompletableFuture()
          .get(30, TimeUnit.SECONDS).localAddress().getPort();
      try (LocalCluster cluster = LocalCluster.start(clusterSettings(settings, providersPort))) {
        Phases phases = new Phases(started);
        phases.mark("cluster up");
        return runOn(cluster, settings, clock, callers, phases);
      }
    } finally {
      callers.shutdownNow();
      clock.shutdownNow();
      providerSystem.terminate();
    }
  }

  /** The nodes' settings: the loopback providers, short failure detection, the run's reconnect window. */
  static LocalClusterSettings clusterSettings(ChaosSettings settings, int providersPort) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("parley.call-actors.providers.openai.base-url", "http://127.0.0.1:" + providersPort + "/v1");
    properties.put("parley.call-actors.providers.openai.api-key", "chaos-loopback");
    properties.put("parley.call-actors.providers.deepgram.base-url", "ws://127.0.0.1:" + providersPort + "/v1");
    properties.put("parley.call-actors.providers.deepgram.api-key", "chaos-loopback");
    properties.put("parley.call-actors.live.reconnect-window", settings.reconnectWindow().toMillis() + "ms");
    properties.put("parley.cluster.failure-detection-pause", "3s");
    properties.put("parley.cluster.down-unreachable-after", "3s");
    properties.put("parley.cluster.down-removal-margin", "1s");
    // the checker polls every call and the list: no per-key limit in the way
    properties.put("parley.http.rate-limit.enabled", "false");
    // a machine running several nodes and the robots answers slower than a production node should
    properties.put("parley.call-actors.ask-timeout", "15s");
    properties.put("parley.assistant-registry.ask-timeout", "15s");
    // The list reads the tags with the production delay (2 s): with 200 ms, tag writes that three
    // nodes and a kill made later than that were skipped for good, and calls were missing from
    // the list (the plugin warns it). A fresh keyspace has no events before this hour.
    properties.put("pekko.persistence.cassandra.events-by-tag.first-time-bucket",
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:00").withZone(ZoneOffset.UTC)
            .format(Instant.now().minus(Duration.ofHours(1))));
    properties.putAll(settings.properties());
    return new LocalClusterSettings(settings.nodes(), settings.classpath(), settings.cassandraContactPoint(),
        settings.keyspace(), settings.workDir().resolve("data"), settings.workDir().resolve("logs"), properties,
        settings.jvmOptions(), NODE_READY);
  }

  private static ChaosReport runOn(LocalCluster cluster, ChaosSettings settings, ScheduledExecutorService clock,
      ExecutorService callers, Phases phases) throws Exception {
    String apiKey = Files.readString(cluster.settings().dataDir().resolve("dev-api-key")).strip();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String assistantId = new ParleyApi(cluster.httpBase(0), apiKey, http).createAssistant(new ObjectMapper().readTree(ASSISTANT));
    byte[] speech = new CallerVoice().pcm(SENTENCE);
    List<byte[]> turns = new ArrayList<>();
    for (int tag = 0; tag < settings.turnsPerCall(); tag++) {
      turns.add(TurnTags.tagged(speech, tag));
    }
    RobotOptions options = RobotOptions.defaults().withClock(clock).withKeepAudio(false)
        .withWaitTimeout(settings.replyTimeout())
        .withReconnect(ReconnectOptions.to(cluster.httpBases(), settings.reconnectWindow()));
    AtomicBoolean over = new AtomicBoolean();
    Map<String, RobotCaller> live = new ConcurrentHashMap<>();
    List<ChaosCall> finished = new CopyOnWriteArrayList<>();
    CallSlot.Stage stage = new CallSlot.Stage(cluster, apiKey, assistantId, turns, options, http, settings, over,
        live, finished);
    List<Future<?>> slots = new ArrayList<>();
    for (int slot = 0; slot < settings.calls(); slot++) {
      slots.add(callers.submit(new CallSlot(stage, slot)));
    }
    awaitLive(live, settings.calls(), slots);
    NodeKiller killer = new NodeKiller(cluster, settings, live, over, () -> slots.stream().allMatch(Future::isDone));
    Thread killing = new Thread(killer, "chaos-node-killer");
    killing.start();
    awaitCallers(slots, over, callerBound(settings));
    killing.join(NODE_READY.toMillis());
    phases.mark("calls and kills");

    ChaosChecker checker = new ChaosChecker(cluster, apiKey, http, assistantId);
    List<String> callIds = finished.stream().map(ChaosCall::callId).filter(id -> id != null).toList();
    Map<String, JsonNode> journals = checker.journals(callIds, settings.reconnectWindow().plus(END_SLACK));
    Set<String> interrupted = new HashSet<>();
    killer.kills().forEach(k -> {
      interrupted.addAll(k.hostedCalls());
      interrupted.addAll(k.socketCalls());
    });
    List<CallVerdict> verdicts = finished.stream()
        .map(call -> CallVerdict.of(call, journals.get(call.callId()), interrupted.contains(call.callId()))).toList();
    ChaosChecker.ReadModel readModel = checker.readModel(journals, READ_MODEL_WAIT);
    phases.mark("checks");
    return new ChaosReport(settings, verdicts, killer.kills(), killer.unexpectedExits(), readModel,
        silences(finished, killer.kills()), backInProgress(finished, killer.kills()), reconnectGaps(finished),
        failedReconnects(finished), phases.seconds());
  }

  /** Until every slot's first call is live (or its slot has already given up), bounded. */
  private static void awaitLive(Map<String, RobotCaller> live, int calls, List<Future<?>> slots)
      throws InterruptedException {
    long deadline = System.nanoTime() + FIRST_CALLS_LIVE.toNanos();
    while (live.size() + slots.stream().filter(Future::isDone).count() < calls && System.nanoTime() - deadline < 0) {
      Thread.sleep(100);
    }
  }

  /** The chaos's own bound plus what callers need to finish their last turns and hang up. */
  private static Duration callerBound(ChaosSettings settings) {
    Duration chaos = settings.duration().isZero()
        ? settings.killEvery().plus(NODE_READY).multipliedBy(Math.max(1, settings.kills()))
        : settings.duration().plus(NODE_READY);
    return chaos.plus(settings.replyTimeout().multipliedBy(4)).plus(settings.reconnectWindow()).plus(END_SLACK);
  }

  private static void awaitCallers(List<Future<?>> slots, AtomicBoolean over, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    for (Future<?> slot : slots) {
      long left = deadline - System.nanoTime();
      try {
        slot.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // the checker reports such callers; their robots are closed when the pool stops
        over.set(true);
      }
    }
  }

  private static List<ChaosReport.Silence> silences(List<ChaosCall> calls, List<NodeKiller.Kill> kills) {
    Map<String, ChaosCall> byId = new LinkedHashMap<>();
    calls.stream().filter(c -> c.callId() != null && c.robot() != null).forEach(c -> byId.put(c.callId(), c));
    List<ChaosReport.Silence> silences = new ArrayList<>();
    for (int k = 0; k < kills.size(); k++) {
      NodeKiller.Kill kill = kills.get(k);
      Set<String> affected = new HashSet<>(kill.hostedCalls());
      affected.addAll(kill.socketCalls());
      for (String callId : affected) {
        ChaosCall call = byId.get(callId);
        if (call != null) {
          boolean host = kill.hostedCalls().contains(callId);
          boolean socket = kill.socketCalls().contains(callId);
          String lost = host && socket ? "call and socket" : host ? "call" : "socket";
          int index = k;
          FailoverSilence.millis(call.robot().recording(), kill.atNanos())
              .ifPresent(ms -> silences.add(new ChaosReport.Silence(callId, index, lost, ms,
                  CallTimeline.around(call.robot().recording(), kill.atNanos()))));
        }
      }
    }
    return silences;
  }

  /** Kill to in-progress again, for the calls whose node died while their socket stayed elsewhere. */
  private static List<Double> backInProgress(List<ChaosCall> calls, List<NodeKiller.Kill> kills) {
    Map<String, ChaosCall> byId = new LinkedHashMap<>();
    calls.stream().filter(c -> c.callId() != null && c.robot() != null).forEach(c -> byId.put(c.callId(), c));
    List<Double> times = new ArrayList<>();
    for (NodeKiller.Kill kill : kills) {
      for (String callId : kill.hostedCalls()) {
        ChaosCall call = byId.get(callId);
        if (call != null && !kill.socketCalls().contains(callId)) {
          FailoverSilence.backInProgressMillis(call.robot().recording().messages(), kill.atNanos())
              .ifPresent(times::add);
        }
      }
    }
    return times;
  }

  private static List<Double> reconnectGaps(List<ChaosCall> calls) {
    return calls.stream().filter(c -> c.robot() != null).flatMap(c -> c.robot().reconnects().stream())
        .filter(SocketReconnect::reopened).map(SocketReconnect::gapMillis).toList();
  }

  /** Reconnects given up, by why (the last refusal's status and message, without the node and call id). */
  private static Map<String, Integer> failedReconnects(List<ChaosCall> calls) {
    Map<String, Integer> byWhy = new java.util.TreeMap<>();
    calls.stream().filter(c -> c.robot() != null).flatMap(c -> c.robot().reconnects().stream())
        .filter(r -> !r.reopened())
        .forEach(r -> byWhy.merge(r.outcome().replaceAll("http://127\\.0\\.0\\.1:\\d+: ", "")
            .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>"), 1, Integer::sum));
    return byWhy;
  }

  /** How long each part of the run took, in seconds, in order. */
  private static final class Phases {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last;

    Phases(long started) {
      this.last = started;
    }

    void mark(String phase) {
      long now = System.nanoTime();
      seconds.put(phase, (now - last) / 1e9);
      last = now;
    }

    Map<String, Double> seconds() {
      return seconds;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
