package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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

  private static final AtomicInteger TICKS = new AtomicInteger();
  private static PrometheusReporter prometheus;

  private PrometheusScrapes() {}

  /** Starts Kamon with a reporter that counts ticks; call once per test class. */
  public static synchronized void start() {
    Kamon.initWithoutAttaching(CONFIG);
    prometheus = new PrometheusReporter("kamon.prometheus", CONFIG);
    Kamon.addReporter("prometheus-scrapes", new MetricReporter() {
      @Override public void reportPeriodSnapshot(PeriodSnapshot snapshot) {
        prometheus.reportPeriodSnapshot(snapshot);
        TICKS.incrementAndGet();
      }
      @Override public void stop() {}
      @Override public void reconfigure(Config newConfig) {}
    });
  }

  public static void stop() throws Exception {
    scala.concurrent.Await.result(Kamon.stop(), scala.concurrent.duration.Duration.create(30, "s"));
  }

  /** The exposition after two more ticks, so the last one began after everything recorded so far. */
  public static String textAfterNextTick() throws InterruptedException {
    int target = TICKS.get() + 2;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (TICKS.get() < target) {
      assertTrue(Instant.now().isBefore(deadline), "Kamon did not tick within 60 s");
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
