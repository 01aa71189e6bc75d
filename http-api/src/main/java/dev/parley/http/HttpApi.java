package dev.parley.http;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

import dev.parley.http.errors.ErrorResponses;
import dev.parley.http.ops.DashboardRoute;
import dev.parley.http.ops.HealthRoutes;
import dev.parley.http.ops.MetricsRoute;

/** Every route the node serves, wrapped so that any failure answers as JSON. */
public final class HttpApi extends AllDirectives {

  private final ActorSystem<?> system;

  public HttpApi(ActorSystem<?> system) {
    this.system = system;
  }

  public Route routes() {
    Route all = concat(
        new HealthRoutes(system).route(),
        new MetricsRoute().route(),
        new DashboardRoute().route());
    return handleExceptions(ErrorResponses.exceptionHandler(),
        () -> handleRejections(ErrorResponses.rejectionHandler(), () -> all));
  }
}
