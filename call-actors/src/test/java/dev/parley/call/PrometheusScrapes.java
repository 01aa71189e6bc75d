package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import kamon.Kamon;
import kamon.metric.PeriodSnapshot;
import kamon.module.MetricReporter;
import kamon.prometheus.PrometheusReporter;

/**
 * Kamon's real tick feeding kamon-prometheus' reporter, as a node's {@code /metrics} does, but on a
 * fast tick and without Kanela or an embedded server: tests read the exposition text a node would
 * serve. Used by CallMetricsTest and by deploy's dashboard test.
 */
public final class PrometheusScrapes {

  private static final Config CONFIG = ConfigFactory.parseString("""
      kamon.metric.tick-interval = 200ms
      kamon.prometheus.start-embedded-http-server = no
      kamon.modules.prometheus-reporter.enabled = no
      kamon.modules.status-page.enabled = no
      """).withFallback(ConfigFactory.load());

  /** Where the period of the last snapshot the reporter has turned into text began. */
  private static final AtomicReference<Instant> REPORTED_FROM = new AtomicReference<>(Instant.EPOCH);
  private static PrometheusReporter prometheus;

  private PrometheusScrapes() {}

  /** Starts Kamon with a reporter that notes which period it reported last; once per test class. */
  public static synchronized void start() {
    Kamon.initWithoutAttaching(CONFIG);
    prometheus = new PrometheusReporter("kamon.prometheus", CONFIG);
    Kamon.addReporter("prometheus-scrapes", new MetricReporter() {
      @Override public void reportPeriodSnapshot(PeriodSnapshot snapshot) {
        prometheus.reportPeriodSnapshot(snapshot);
        REPORTED_FROM.set(snapshot.from());
      }
      @Override public void stop() {}
      @Override public void reconfigure(Config newConfig) {}
    });
  }

  public static void stop() throws Exception {
    scala.concurrent.Await.result(Kamon.stop(), scala.concurrent.duration.Duration.create(30, "s"));
  }

  /**
   * The exposition once the reporter has turned a snapshot taken wholly after this call into text,
   * so it holds everything recorded before. Counting ticks is not enough: on a busy machine the
   * reporter lags behind Kamon's ticker and works through snapshots taken earlier.
   */
  public static String textAfterNextTick() throws InterruptedException {
    // the registry takes a snapshot, then stamps its end, which the next period starts from
    Instant recorded = Kamon.clock().instant();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!REPORTED_FROM.get().isAfter(recorded)) {
      assertTrue(Instant.now().isBefore(deadline), "no Kamon snapshot reported within 60 s");
      Thread.sleep(50);
    }
    return prometheus.scrapeData();
  }

  /** Series ("name{labels}") to value, after the next tick. */
  public static Map<String, Double> seriesAfterNextTick() throws InterruptedException {
    Map<String, Double> series = new HashMap<>();
    for (String line : textAfterNextTick().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int split = line.lastIndexOf(' ');
      series.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
    }
    return series;
  }
}
