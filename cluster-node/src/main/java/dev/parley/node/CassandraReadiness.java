package dev.parley.node;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

import dev.parley.persistence.cassandra.CassandraSchema;

/**
 * Readiness check: Cassandra answers a query on the shared session. Unlike the plugin's own
 * check, it does not start the journal, which must not prepare statements before the schema exists.
 */
public final class CassandraReadiness implements Supplier<CompletionStage<Boolean>> {

  private final org.apache.pekko.actor.typed.ActorSystem<?> system;

  public CassandraReadiness(ActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CassandraSchema.session(system)
        .selectOne("SELECT release_version FROM system.local")
        .thenApply(row -> row.isPresent());
  }
}
