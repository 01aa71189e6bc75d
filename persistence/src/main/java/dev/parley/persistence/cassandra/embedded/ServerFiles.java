package dev.parley.persistence.cassandra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The configuration files the server JVM reads, written fresh under the data directory. */
final class ServerFiles {

  private ServerFiles() {}

  static Path conf(Path dataDir) {
    return dataDir.resolve("conf");
  }

  static Path logs(Path dataDir) {
    return dataDir.resolve("logs");
  }

  static Path consoleLog(Path dataDir) {
    return logs(dataDir).resolve("console.log");
  }

  static void write(EmbeddedCassandraSettings s) {
    try {
      Files.createDirectories(conf(s.dataDir()));
      Files.createDirectories(logs(s.dataDir()));
      Files.writeString(conf(s.dataDir()).resolve("cassandra.yaml"), cassandraYaml(s));
      Files.writeString(conf(s.dataDir()).resolve("logback.xml"), logbackXml(s.dataDir()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Single node on loopback; commit log fsync'd periodically as in Cassandra's default yaml. */
  static String cassandraYaml(EmbeddedCassandraSettings s) {
    return String.join("\n", List.of(
        "cluster_name: parley-embedded",
        "num_tokens: 16",
        "allocate_tokens_for_local_replication_factor: 1",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"" + s.host() + ":" + s.storagePort() + "\"",
        "listen_address: " + s.host(),
        "rpc_address: " + s.host(),
        "storage_port: " + s.storagePort(),
        "native_transport_port: " + s.cqlPort(),
        "start_native_transport: true",
        "auto_snapshot: false",
        "snapshot_on_duplicate_row_detection: false",
        "concurrent_reads: 8",
        "concurrent_writes: 16",
        "concurrent_counter_writes: 8",
        "memtable_heap_space: " + Math.max(32, s.heapMegabytes() / 4) + "MiB",
        "key_cache_size: 16MiB",
        ""));
  }

  private static String logbackXml(Path dataDir) {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{20} - %%msg%%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>
        """.formatted(logs(dataDir).resolve("system.log"));
  }
}
