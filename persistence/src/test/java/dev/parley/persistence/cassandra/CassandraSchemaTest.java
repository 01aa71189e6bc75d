package dev.parley.persistence.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;

import dev.parley.persistence.testkit.TestCassandra;

class CassandraSchemaTest {

  private String keyspace;
  private ActorSystem<Void> system;

  @BeforeEach
  void start() {
    keyspace = TestCassandra.uniqueKeyspace("schema");
    system = ActorSystem.create(Behaviors.empty(), "schema",
        TestCassandra.config(keyspace, ConfigFactory.empty()));
  }

  @AfterEach
  void stop() {
    if (system != null) {
      TestCassandra.dropKeyspace(system, keyspace);
      system.terminate();
    }
  }

  @Test
  void tableIdsAreDerivedFromTheTableName() {
    String plain = CassandraSchema.withDeterministicTableId(
        "CREATE TABLE IF NOT EXISTS ks.t1 (a int PRIMARY KEY, b text);");
    String withOptions = CassandraSchema.withDeterministicTableId(
        "CREATE TABLE IF NOT EXISTS ks.t2 (a int, b int, PRIMARY KEY (a, b)) WITH CLUSTERING ORDER BY (b DESC)");
    assertTrue(plain.matches("CREATE TABLE IF NOT EXISTS ks\\.t1 \\(a int PRIMARY KEY, b text\\) WITH id = '[0-9a-f-]{36}'"), plain);
    assertTrue(withOptions.endsWith(") WITH CLUSTERING ORDER BY (b DESC) AND id = '" + idOf("ks.t2") + "'"), withOptions);
    assertEquals(plain, CassandraSchema.withDeterministicTableId("CREATE TABLE IF NOT EXISTS ks.t1 (a int PRIMARY KEY, b text);"));
    assertNotEquals(idOf("ks.t1"), idOf("ks.t2"));
    String keyspaceDdl = "CREATE KEYSPACE IF NOT EXISTS ks WITH REPLICATION = {'class':'SimpleStrategy','replication_factor':1}";
    assertEquals(keyspaceDdl, CassandraSchema.withDeterministicTableId(keyspaceDdl));
  }

  @Test
  void concurrentCreationsAgreeAndRepeatingIsHarmless() throws Exception {
    List<String> readModel = List.of(
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".read_model (id text PRIMARY KEY, body text)");
    CompletableFuture<?>[] racing = IntStream.range(0, 4)
        .mapToObj(i -> CassandraSchema.createAll(system, readModel).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(racing).get(120, TimeUnit.SECONDS);

    Map<String, UUID> tables = tables();
    for (String table : List.of("messages", "tag_views", "tag_write_progress", "tag_scanning", "metadata",
        "all_persistence_ids", "snapshots", "offset_store", "projection_management", "read_model")) {
      assertEquals(idOf(keyspace + "." + table), tables.get(table), "table " + table + " in " + tables);
    }

    CassandraSchema.createAll(system, readModel).toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(tables, tables());
  }

  private Map<String, UUID> tables() throws Exception {
    List<Row> rows = CassandraSchema.session(system)
        .selectAll("SELECT table_name, id FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
        .toCompletableFuture().get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    Map<String, UUID> tables = new HashMap<>();
    rows.forEach(row -> tables.put(row.getString("table_name"), row.getUuid("id")));
    return tables;
  }

  private static UUID idOf(String table) {
    String ddl = CassandraSchema.withDeterministicTableId("CREATE TABLE IF NOT EXISTS " + table + " (a int PRIMARY KEY)");
    return UUID.fromString(ddl.substring(ddl.indexOf("id = '") + 6, ddl.length() - 1));
  }
}
