package dev.parley.http.ops;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import kamon.prometheus.PrometheusReporter;

/**
 * {@code /metrics}: Kamon's Prometheus exposition, served on the API port instead of Kamon's own
 * embedded server. Empty until Kamon's first tick ({@code kamon.metric.tick-interval}).
 */
public final class MetricsRoute extends AllDirectives {


  public Route route() {
    return path("metrics", () -> get(() -> complete(
        HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, scrape()))));
  }

  private static String scrape() {
    scala.Option<String> data = PrometheusReporter.latestScrapeData();
    return data.isDefined() ? data.get() : "";
  }

}
