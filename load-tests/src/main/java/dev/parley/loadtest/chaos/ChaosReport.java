package dev.parley.loadtest.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

import dev.parley.loadtest.bench.Percentiles;

/**
 * A chaos run's figures: what became of the calls, of their events and of the read model, and how
 * long callers waited across failovers. {@link #print} writes them; tests read the counts.
 */
public final class ChaosReport {

  private static final int DETAIL_LINES = 15;
  private static final int SLOWEST_SILENCES = 3;

  /** One caller's wait across one kill, and whose node that kill took (its call's, its socket's, or both). */
  record Silence(String callId, int kill, String lost, double millis, String timeline) {
    @Override
    public String toString() {
      return String.format("%s %.0f ms (kill %d took its %s)", callId, millis, kill + 1, lost);
    }
  }

  private final ChaosSettings settings;
  private final List<CallVerdict> verdicts;
  private final List<NodeKiller.Kill> kills;
  private final int unexpectedExits;
  private final ChaosChecker.ReadModel readModel;
  private final List<Silence> silences;
  private final List<Double> backInProgress;
  private final List<Double> reconnectGaps;
  private final int reconnectsFailed;
  private final Map<String, Integer> reconnectFailures;
  private final Map<String, Double> phases;

  ChaosReport(ChaosSettings settings, List<CallVerdict> verdicts, List<NodeKiller.Kill> kills, int unexpectedExits,
      ChaosChecker.ReadModel readModel, List<Silence> silences, List<Double> backInProgress, List<Double> reconnectGaps,
      Map<String, Integer> reconnectFailures, Map<String, Double> phases) {
    this.settings = settings;
    this.verdicts = List.copyOf(verdicts);
    this.kills = List.copyOf(kills);
    this.unexpectedExits = unexpectedExits;
    this.readModel = readModel;
    this.silences = List.copyOf(silences);
    this.backInProgress = List.copyOf(backInProgress);
    this.reconnectGaps = List.copyOf(reconnectGaps);
    this.reconnectFailures = Map.copyOf(new TreeMap<>(reconnectFailures));
    this.reconnectsFailed = reconnectFailures.values().stream().mapToInt(Integer::intValue).sum();
    this.phases = new java.util.LinkedHashMap<>(phases);
  }

  public int callsStarted() {
    return count(CallVerdict.Outcome.COMPLETED) + count(CallVerdict.Outcome.ENDED_WITH_REASON)
        + count(CallVerdict.Outcome.LOST);
  }

  public int callsNotStarted() {
    return count(CallVerdict.Outcome.NOT_STARTED);
  }

  public int completed() {
    return count(CallVerdict.Outcome.COMPLETED);
  }

  public int resumed() {
    return (int) verdicts.stream().filter(CallVerdict::resumed).count();
  }

  public int endedWithReason() {
    return count(CallVerdict.Outcome.ENDED_WITH_REASON);
  }

  /** Calls neither completed nor ended with a recorded reason. */
  public int lost() {
    return count(CallVerdict.Outcome.LOST);
  }

  public int eventsLost() {
    return sum(CallVerdict::eventsLost);
  }

  /** Turns the platform transcribed (told the caller) but neither answered nor kept. */
  public int heardNotKept() {
    return sum(CallVerdict::heardNotKept);
  }

  public int eventsDuplicated() {
    return sum(CallVerdict::eventsDuplicated);
  }

  public int eventsOutOfOrder() {
    return sum(CallVerdict::outOfOrder);
  }

  public int contextMismatches() {
    return sum(CallVerdict::contextMismatches);
  }

  public int readModelMismatches() {
    return readModel.mismatches();
  }

  public int kills() {
    return kills.size();
  }

  /** Kills after which the cluster did not become whole again. */
  public int restartFailures() {
    return (int) kills.stream().filter(k -> k.failure() != null).count();
  }

  public int unexpectedExits() {
    return unexpectedExits;
  }

  /** The longest silence a caller heard across a failover, in milliseconds; 0 with none. */
  public double longestSilenceMillis() {
    return silences.stream().mapToDouble(Silence::millis).max().orElse(0);
  }

  /** How many calls each kill interrupted (entity or socket on the killed node), summed. */
  public int interruptions() {
    return kills.stream().mapToInt(k -> {
      java.util.Set<String> calls = new java.util.HashSet<>(k.hostedCalls());
      calls.addAll(k.socketCalls());
      return calls.size();
    }).sum();
  }

  public void print(PrintStream out) {
    out.printf("chaos: %d nodes, %d calls at once, kill -9 every %d s%s, seed %d; %d turns per call at most,"
            + " %d ms pauses; reconnect window %d s; %.0f s in all (%s)%n", settings.nodes(), settings.calls(),
        settings.killEvery().toSeconds(), limits(), settings.seed(), settings.turnsPerCall(),
        settings.pause().toMillis(), settings.reconnectWindow().toSeconds(),
        phases.values().stream().mapToDouble(Double::doubleValue).sum(), phaseList());
    if (!settings.properties().isEmpty()) {
      out.println("  node settings over the run's own: " + new TreeMap<>(settings.properties()));
    }
    if (!settings.restartAfter().isZero()) {
      out.printf("  a killed node stays down %d ms before its restart%n", settings.restartAfter().toMillis());
    }
    long startNanos = kills.isEmpty() ? 0 : kills.get(0).atNanos();
    for (NodeKiller.Kill kill : kills) {
      out.printf("  kill: node %d at +%.1f s (exit %d), hosting %d live calls, holding %d callers' sockets; %s%n",
          kill.node(), (kill.atNanos() - startNanos) / 1e9, kill.exitValue(), kill.hostedCalls().size(),
          kill.socketCalls().size(), kill.failure() == null
              ? String.format("whole again after %.1f s", (kill.wholeAgainNanos() - kill.atNanos()) / 1e9)
              : "NOT whole again: " + kill.failure());
    }
    out.printf("nodes: %d kills, %d restart failures, %d unexpected node exits%n", kills(), restartFailures(),
        unexpectedExits);
    out.printf("calls: %d started (%d could not start), %d completed, %d resumed, %d ended with a recorded reason%s,"
        + " %d lost%n", callsStarted(), callsNotStarted(), completed(), resumed(), endedWithReason(), reasons(), lost());
    out.printf("events: %d lost, %d duplicated, %d out of order, %d replies without their context;"
            + " %d turns transcribed to the caller but neither answered nor kept;"
            + " turns: %d spoken, %d answered; %d user messages without a tag, %d tags never spoken%n",
        eventsLost(), eventsDuplicated(), eventsOutOfOrder(), contextMismatches(), heardNotKept(),
        sum(CallVerdict::spokenTurns),
        sum(CallVerdict::answeredTurns), sum(CallVerdict::untagged), sum(CallVerdict::unexpected));
    out.printf("read model: %d mismatches (checked for %.1f s), %d calls listed that no caller made%n",
        readModel.mismatches(), readModel.secondsToAgree(), readModel.orphans());
    out.println("reconnects: " + reconnectGaps.size() + " reopened, " + reconnectsFailed + " given up"
        + (reconnectFailures.isEmpty() ? "" : " " + reconnectFailures) + "; time to reopen " + figures(reconnectGaps));
    out.println("silence per failover (" + interruptions() + " calls interrupted): "
        + figures(silences.stream().map(Silence::millis).toList()));
    silences.stream().sorted(java.util.Comparator.comparingDouble(Silence::millis).reversed())
        .limit(SLOWEST_SILENCES)
        .forEach(s -> out.println("  longest: " + s + "; its caller, in seconds from the kill: " + s.timeline()));
    out.println("call back after its node was killed (socket kept elsewhere; kill -> in-progress again): "
        + figures(backInProgress));
    List<String> details = details();
    details.stream().limit(DETAIL_LINES).forEach(line -> out.println("  " + line));
    if (details.size() > DETAIL_LINES) {
      out.println("  ... and " + (details.size() - DETAIL_LINES) + " more");
    }
  }

  /**
   * A line per call that was lost, lost or duplicated events, left a turn without a reply its caller
   * heard, or disagrees with the read model.
   */
  List<String> details() {
    List<String> lines = new ArrayList<>();
    for (CallVerdict v : verdicts) {
      if (v.outcome() == CallVerdict.Outcome.LOST || v.outcome() == CallVerdict.Outcome.NOT_STARTED
          || v.eventsLost() + v.heardNotKept() + v.eventsDuplicated() + v.outOfOrder() + v.contextMismatches() > 0
          || v.answeredTurns() < v.spokenTurns()) {
        lines.add(v.outcome() + " " + v.callId() + ": status " + v.status() + "/" + v.endedReason() + ", answered "
            + v.answeredTurns() + " of " + v.spokenTurns() + " turns, events lost "
            + v.eventsLost() + ", heard not kept " + v.heardNotKept() + ", duplicated " + v.eventsDuplicated()
            + ", out of order " + v.outOfOrder()
            + ", without context " + v.contextMismatches() + "; " + v.trace()
            + (v.failure() == null ? "" : "; caller: " + brief(v.failure())));
      }
    }
    readModel.details().forEach(line -> lines.add("read model " + line));
    return lines;
  }

  private String phaseList() {
    List<String> parts = new ArrayList<>();
    phases.forEach((phase, secs) -> parts.add(String.format("%s %.0f s", phase, secs)));
    return String.join(", ", parts);
  }

  /** A failure's first line, cut short: the report lists many. */
  private static String brief(String failure) {
    String line = failure.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private String limits() {
    String count = settings.kills() > 0 ? settings.kills() + " kills" : "";
    String time = settings.duration().isZero() ? "" : settings.duration().toSeconds() + " s";
    return " (" + count + (count.isEmpty() || time.isEmpty() ? "" : " or ") + time + ")";
  }

  private String reasons() {
    Map<String, Integer> byReason = new TreeMap<>();
    verdicts.stream().filter(v -> v.outcome() == CallVerdict.Outcome.ENDED_WITH_REASON)
        .forEach(v -> byReason.merge(v.endedReason(), 1, Integer::sum));
    return byReason.isEmpty() ? "" : " " + byReason;
  }

  private static String figures(List<Double> millis) {
    Percentiles p = new Percentiles(millis);
    return p.count() == 0 ? "none measured"
        : String.format("n=%d p50 %.0f ms, p99 %.0f ms, max %.0f ms", p.count(), p.at(50), p.at(99), p.max());
  }

  private int count(CallVerdict.Outcome outcome) {
    return (int) verdicts.stream().filter(v -> v.outcome() == outcome).count();
  }

  private int sum(ToIntFunction<CallVerdict> figure) {
    return verdicts.stream().mapToInt(figure).sum();
  }
}
