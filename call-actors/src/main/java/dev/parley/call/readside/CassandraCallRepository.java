package dev.parley.call.readside;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

import com.datastax.oss.driver.api.core.cql.Row;

import dev.parley.call.CallRecord;
import dev.parley.call.CallStatus;

/**
 * The call list in Cassandra: {@value #BY_ORG}, one partition per org, newest first; and
 * {@value #IDS}, where the projection finds a call's row from its id (later events carry only the id).
 */
public final class CassandraCallRepository implements CallRepository {

  static final String BY_ORG = "calls_by_org";
  static final String IDS = "call_ids";
  private static final String COLUMNS = "org_id, created_at, id, type, assistant_id, assistant_json, "
      + "assistant_overrides_json, transport_json, customer_json, metadata_json, name, status, started_at, "
      + "ended_at, ended_reason, updated_at";

  private final CassandraSession session;
  private final String byOrg;
  private final String ids;

  public CassandraCallRepository(CassandraSession session, String keyspace) {
    this.session = session;
    this.byOrg = keyspace + "." + BY_ORG;
    this.ids = keyspace + "." + IDS;
  }

  public static List<String> schemaStatements(String keyspace) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + BY_ORG + " ("
            + "org_id text, created_at timestamp, id text, type text, assistant_id text, assistant_json text, "
            + "assistant_overrides_json text, transport_json text, customer_json text, metadata_json text, "
            + "name text, status text, started_at timestamp, ended_at timestamp, ended_reason text, "
            + "updated_at timestamp, PRIMARY KEY ((org_id), created_at, id)) "
            + "WITH CLUSTERING ORDER BY (created_at DESC, id ASC)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + IDS + " ("
            + "id text PRIMARY KEY, org_id text, created_at timestamp)");
  }

  @Override
  public CompletionStage<Done> save(CallSummary summary) {
    CallRecord call = summary.call();
    return session.executeWrite("INSERT INTO " + ids + " (id, org_id, created_at) VALUES (?, ?, ?)",
            call.id(), call.orgId(), call.createdAt())
        .thenCompose(done -> session.executeWrite(
            "INSERT INTO " + byOrg + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            call.orgId(), call.createdAt(), call.id(), call.type(), call.assistantId(), call.assistantJson(),
            call.assistantOverridesJson(), call.transportJson(), call.customerJson(), call.metadataJson(),
            call.name(), summary.status().name(), summary.startedAt(), summary.endedAt(), summary.endedReason(),
            summary.updatedAt()));
  }

  @Override
  public CompletionStage<Optional<CallSummary>> find(String callId) {
    return session.selectOne("SELECT org_id, created_at FROM " + ids + " WHERE id = ?", callId)
        .thenCompose(key -> key.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<Row>empty())
            : session.selectOne("SELECT " + COLUMNS + " FROM " + byOrg
                    + " WHERE org_id = ? AND created_at = ? AND id = ?",
                key.get().getString("org_id"), key.get().getInstant("created_at"), callId))
        .thenApply(row -> row.map(CassandraCallRepository::toSummary));
  }

  @Override
  public CompletionStage<Done> delete(CallSummary summary) {
    CallRecord call = summary.call();
    return session.executeWrite("DELETE FROM " + byOrg + " WHERE org_id = ? AND created_at = ? AND id = ?",
            call.orgId(), call.createdAt(), call.id())
        .thenCompose(done -> session.executeWrite("DELETE FROM " + ids + " WHERE id = ?", call.id()));
  }

  @Override
  public CompletionStage<List<CallSummary>> list(String orgId, CallListQuery query) {
    StringBuilder cql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(byOrg)
        .append(" WHERE org_id = ?");
    List<Object> values = new ArrayList<>(List.of(orgId));
    bound(cql, values, "created_at >", query.window().createdAtGt());
    bound(cql, values, "created_at <", query.window().createdAtLt());
    bound(cql, values, "created_at >=", query.window().createdAtGe());
    bound(cql, values, "created_at <=", query.window().createdAtLe());
    if (!query.filtersAfterRead()) {
      cql.append(" LIMIT ").append(Math.max(query.window().limit(), 1));
    }
    return session.selectAll(cql.toString(), values.toArray()).thenApply(rows -> rows.stream()
        .map(CassandraCallRepository::toSummary)
        .filter(query::matches)
        .limit(query.window().limit())
        .toList());
  }

  private static void bound(StringBuilder cql, List<Object> values, String condition, Optional<Instant> value) {
    value.ifPresent(v -> {
      cql.append(" AND ").append(condition).append(" ?");
      values.add(v);
    });
  }

  private static CallSummary toSummary(Row row) {
    CallRecord call = new CallRecord(row.getString("id"), row.getString("org_id"), row.getString("type"),
        row.getString("assistant_id"), row.getString("assistant_json"), row.getString("assistant_overrides_json"),
        row.getString("transport_json"), row.getString("customer_json"), row.getString("metadata_json"),
        row.getString("name"), row.getInstant("created_at"));
    return new CallSummary(call, CallStatus.valueOf(row.getString("status")), row.getInstant("started_at"),
        row.getInstant("ended_at"), row.getString("ended_reason"));
  }
}
