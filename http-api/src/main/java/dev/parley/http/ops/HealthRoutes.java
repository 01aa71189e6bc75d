package dev.parley.http.ops;

import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.CheckResult;
import org.apache.pekko.management.javadsl.HealthChecks;

import dev.parley.http.JsonResponses;

/**
 * {@code /health/alive} and {@code /health/ready}, backed by Pekko Management's health checks so
 * every check registered under {@code pekko.management.health-checks} counts (cluster membership,
 * Cassandra, schema, ...). 200 {"status":"up"} or 503 {"status":"down","reason":..}.
 */
public final class HealthRoutes extends AllDirectives {

  private final HealthChecks checks;

  public HealthRoutes(ActorSystem<?> system) {
    this.checks = new HealthChecks(
        (org.apache.pekko.actor.ExtendedActorSystem) Adapter.toClassic(system),
        HealthCheckSettings.create(system.settings().config().getConfig("pekko.management.health-checks")));
  }

  public Route route() {
    return pathPrefix("health", () -> concat(
        path("alive", () -> get(() -> answer(checks.aliveResult()))),
        path("ready", () -> get(() -> answer(checks.readyResult())))));
  }

  private Route answer(CompletionStage<CheckResult> result) {
    return onComplete(result, attempt -> attempt.isFailure()
        ? complete(StatusCodes.SERVICE_UNAVAILABLE,
            new Status("down", String.valueOf(attempt.failed().get().getMessage())), JsonResponses.marshaller())
        : checked(attempt.get()));
  }

  private Route checked(CheckResult r) {
    return r.isSuccess()
        ? complete(StatusCodes.OK, new Status("up", null), JsonResponses.marshaller())
        : complete(StatusCodes.SERVICE_UNAVAILABLE,
            new Status("down", r.failure().orElse("unknown")), JsonResponses.marshaller());
  }

  /** The health body. */
  public record Status(String status, String reason) {}
}
