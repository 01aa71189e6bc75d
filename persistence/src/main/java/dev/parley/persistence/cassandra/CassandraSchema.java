package dev.parley.persistence.cassandra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;

/**
 * Creates every keyspace and table the platform uses: the journal and snapshot tables of
 * pekko-persistence-cassandra, the projection offset tables, and the read-model tables that modules
 * add. Idempotent, and safe when several nodes run it at once: each table is created with an id
 * derived from its name, so two concurrent creations agree instead of producing the conflicting
 * table ids that plain {@code IF NOT EXISTS} can leave behind.
 */
public final class CassandraSchema {

  public static final String PLUGIN_PATH = "pekko.persistence.cassandra";
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern CREATE_IF_NOT_EXISTS = Pattern.compile(
      "(?is)^\\s*CREATE\\s+(?:KEYSPACE|TABLE)\\s+IF\\s+NOT\\s+EXISTS\\s+([\\w.\"]+).*");
  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?is)^\\s*CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+([\\w.\"]+)\\s*\\(.*");

  private CassandraSchema() {}

  /** The session every module shares: the persistence plugin's own. */
  public static CassandraSession session(ActorSystem<?> system) {
    return CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create(PLUGIN_PATH));
  }

  /** Journal, snapshots and projection offsets, then the given read-model statements, in order. */
  public static CompletionStage<Done> createAll(ActorSystem<?> system, List<String> readModelStatements) {
    List<String> statements = new ArrayList<>(platformStatements(system));
    statements.addAll(readModelStatements);
    return execute(session(system), statements);
  }

  static List<String> platformStatements(ActorSystem<?> system) {
    KeyspaceAndTableStatements plugin =
        new KeyspaceAndTableStatements(system, PLUGIN_PATH,
            PluginSettings.apply(Adapter.toClassic(system), system.settings().config().getConfig(PLUGIN_PATH)));
    List<String> statements = new ArrayList<>();
    statements.add(plugin.createJournalKeyspaceStatement());
    statements.addAll(plugin.getCreateJournalTablesStatements());
    statements.add(plugin.createSnapshotKeyspaceStatement());
    statements.addAll(plugin.getCreateSnapshotTablesStatements());
    statements.addAll(projectionOffsetStatements(system.settings().config()));
    return statements;
  }

  static List<String> projectionOffsetStatements(Config config) {
    String keyspace = config.getString("pekko.projection.cassandra.offset-store.keyspace");
    String offsets = config.getString("pekko.projection.cassandra.offset-store.table");
    String management = config.getString("pekko.projection.cassandra.offset-store.management-table");
    int replication = config.getInt("parley.cassandra.replication-factor");
    return List.of(
        "CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : " + replication + " }",
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + offsets + " ("
            + "projection_name text, partition int, projection_key text, offset text, manifest text,"
            + " last_updated timestamp, PRIMARY KEY ((projection_name, partition), projection_key))",
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + management + " ("
            + "projection_name text, partition int, projection_key text, paused boolean,"
            + " last_updated timestamp, PRIMARY KEY ((projection_name, partition), projection_key))");
  }

  /**
   * Runs what is missing: keyspaces first, one by one, then every missing table at once (safe
   * with deterministic table ids). Keyspaces and tables {@code system_schema} already lists are
   * skipped, so a warm start costs one query. The driver waits for schema agreement after each DDL.
   */
  public static CompletionStage<Done> execute(CassandraSession session, List<String> statements) {
    return existingSchemaObjects(session).thenCompose(existing -> {
      List<String> missing = statements.stream()
          .filter(statement -> objectName(statement).map(name -> !existing.contains(name)).orElse(true))
          .toList();
      List<String> keyspaces = missing.stream().filter(CassandraSchema::isCreateKeyspace).toList();
      List<String> rest = missing.stream().filter(st -> !isCreateKeyspace(st)).toList();
      CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
      for (String keyspace : keyspaces) {
        chain = chain.thenCompose(done -> ddl(session, keyspace));
      }
      return chain.thenCompose(done -> {
        CompletableFuture<?>[] tables = rest.stream()
            .map(st -> ddl(session, withDeterministicTableId(st)).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(tables).thenApply(all -> Done.getInstance());
      });
    });
  }

  /** One schema change, with the patience DDL needs. */
  public static CompletionStage<Done> executeDDL(ActorSystem<?> system, String statement) {
    return ddl(session(system), statement);
  }

  /** DDL can take seconds on a busy or cold server: longer than the driver's query timeout. */
  private static CompletionStage<Done> ddl(CassandraSession session, String statement) {
    return session.underlying().thenCompose(cql ->
        cql.executeAsync(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT)))
        .thenApply(result -> Done.getInstance());
  }

  private static CompletionStage<Set<String>> existingSchemaObjects(CassandraSession session) {
    CompletionStage<List<Row>> keyspaces = session.selectAll("SELECT keyspace_name FROM system_schema.keyspaces");
    CompletionStage<List<Row>> tables =
        session.selectAll("SELECT keyspace_name, table_name FROM system_schema.tables");
    return keyspaces.thenCombine(tables, (ks, ts) -> {
      Set<String> names = new HashSet<>();
      ks.forEach(row -> names.add(row.getString("keyspace_name")));
      ts.forEach(row -> names.add(row.getString("keyspace_name") + "." + row.getString("table_name")));
      return names;
    });
  }

  /** "keyspace" or "keyspace.table" for CREATE ... IF NOT EXISTS statements; empty otherwise. */
  static Optional<String> objectName(String statement) {
    Matcher matcher = CREATE_IF_NOT_EXISTS.matcher(statement);
    return matcher.matches()
        ? Optional.of(matcher.group(1).replace("\"", "").toLowerCase(Locale.ROOT))
        : Optional.empty();
  }

  private static boolean isCreateKeyspace(String statement) {
    return statement.strip().toUpperCase(Locale.ROOT).startsWith("CREATE KEYSPACE");
  }

  /** Adds {@code id = '<uuid from the table's name>'} to a CREATE TABLE statement. */
  static String withDeterministicTableId(String statement) {
    Matcher matcher = CREATE_TABLE.matcher(statement);
    if (!matcher.matches()) {
      return statement;
    }
    String table = matcher.group(1).replace("\"", "").toLowerCase(Locale.ROOT);
    UUID id = UUID.nameUUIDFromBytes(("parley-table:" + table).getBytes(StandardCharsets.UTF_8));
    String trimmed = statement.strip();
    if (trimmed.endsWith(";")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
    }
    int columnsEnd = endOfColumnList(trimmed);
    String options = trimmed.substring(columnsEnd);
    boolean hasWith = options.toUpperCase(Locale.ROOT).matches("(?s).*\\bWITH\\b.*");
    return trimmed + (hasWith ? " AND id = '" : " WITH id = '") + id + "'";
  }

  private static int endOfColumnList(String statement) {
    int depth = 0;
    for (int i = statement.indexOf('('); i < statement.length(); i++) {
      char c = statement.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("Unbalanced parentheses in CQL: " + statement);
  }
}
