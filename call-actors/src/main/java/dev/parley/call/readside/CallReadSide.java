package dev.parley.call.readside;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;

import com.typesafe.config.Config;

import dev.parley.persistence.cassandra.CassandraSchema;

/** The call list's entry point: its schema, its projection, its queries. */
public final class CallReadSide {

  private final ActorSystem<?> system;
  private final CallRepository repository;

  private CallReadSide(ActorSystem<?> system, CallRepository repository) {
    this.system = system;
    this.repository = repository;
  }

  /** The read-model tables, for {@link CassandraSchema#createAll}. */
  public static List<String> schemaStatements(Config config) {
    return CassandraCallRepository.schemaStatements(config.getString("parley.cassandra.keyspace"));
  }

  /** Call {@link #startProjection()} once the schema exists. */
  public static CallReadSide init(ActorSystem<?> system) {
    return new CallReadSide(system, new CassandraCallRepository(CassandraSchema.session(system),
        system.settings().config().getString("parley.cassandra.keyspace")));
  }

  public void startProjection() {
    CallProjection.init(system, repository);
  }

  /** Eventually consistent: a second or two behind the call entities. */
  public CompletionStage<List<CallSummary>> list(String orgId, CallListQuery query) {
    return repository.list(orgId, query);
  }
}
