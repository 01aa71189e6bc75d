package dev.parley.registry.resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

import com.datastax.oss.driver.api.core.cql.Row;

/**
 * The list side of resources: one Cassandra partition per org and kind, newest first. Fed by
 * {@link ResourceProjection}; writes are idempotent, so replays do no harm.
 */
public final class ResourceRepository {

  static final String TABLE = "resources_by_org";

  private final CassandraSession session;
  private final String table;

  public ResourceRepository(CassandraSession session, String keyspace) {
    this.session = session;
    this.table = keyspace + "." + TABLE;
  }

  public static List<String> schemaStatements(String keyspace) {
    return List.of("CREATE TABLE IF NOT EXISTS " + keyspace + "." + TABLE + " ("
        + "org_id text, kind text, created_at timestamp, id text, updated_at timestamp, body text, "
        + "PRIMARY KEY ((org_id, kind), created_at, id)) "
        + "WITH CLUSTERING ORDER BY (created_at DESC, id ASC)");
  }

  CompletionStage<Done> upsert(Resource resource) {
    return session.executeWrite(
        "INSERT INTO " + table + " (org_id, kind, created_at, id, updated_at, body) VALUES (?, ?, ?, ?, ?, ?)",
        resource.orgId(), resource.kind().name(), resource.createdAt(), resource.id(),
        resource.updatedAt(), resource.body());
  }

  CompletionStage<Done> delete(Resource resource) {
    return session.executeWrite(
        "DELETE FROM " + table + " WHERE org_id = ? AND kind = ? AND created_at = ? AND id = ?",
        resource.orgId(), resource.kind().name(), resource.createdAt(), resource.id());
  }

  /** Stored rows (sealed bodies), newest first, filtered on both time bounds. */
  CompletionStage<List<Resource>> list(ResourceKind kind, String orgId, ListQuery query) {
    StringBuilder cql = new StringBuilder("SELECT id, created_at, updated_at, body FROM ")
        .append(table).append(" WHERE org_id = ? AND kind = ?");
    List<Object> values = new ArrayList<>(List.of(orgId, kind.name()));
    bound(cql, values, "created_at >", query.createdAtGt().orElse(null));
    bound(cql, values, "created_at <", query.createdAtLt().orElse(null));
    bound(cql, values, "created_at >=", query.createdAtGe().orElse(null));
    bound(cql, values, "created_at <=", query.createdAtLe().orElse(null));
    if (!query.filtersUpdatedAt()) {
      cql.append(" LIMIT ").append(Math.max(query.limit(), 1));
    }
    return session.selectAll(cql.toString(), values.toArray()).thenApply(rows -> rows.stream()
        .map(row -> toResource(kind, orgId, row))
        .filter(r -> query.matchesUpdatedAt(r.updatedAt()))
        .limit(query.limit())
        .toList());
  }

  private static void bound(StringBuilder cql, List<Object> values, String condition, Instant value) {
    if (value != null) {
      cql.append(" AND ").append(condition).append(" ?");
      values.add(value);
    }
  }

  private static Resource toResource(ResourceKind kind, String orgId, Row row) {
    return new Resource(kind, row.getString("id"), orgId, row.getString("body"),
        row.getInstant("created_at"), row.getInstant("updated_at"));
  }
}
