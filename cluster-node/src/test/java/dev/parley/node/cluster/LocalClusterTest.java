package dev.parley.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.cluster.LocalClusterSettings;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.WireFormat;
import dev.parley.persistence.testkit.TestCassandra;

/**
 * Two node JVMs from this test's classpath on the shared test Cassandra: they form one cluster, a
 * call's shard is found on the node that hosts it, kill -9 really is SIGKILL, and a node restarted
 * on its ports joins again and serves the call from the journal.
 */
class LocalClusterTest {

  private static final String ASSISTANT = """
      {"name": "cluster test", "firstMessage": "Hello.",
       "model": {"provider": "parley-scripted", "script": {"rules": [], "fallbackReply": "I see."}},
       "voice": {"provider": "parley-flite", "voiceId": "kal16"},
       "transcriber": {"provider": "parley-pocketsphinx"}}""";

  @Test
  void nodesFormAClusterAndAKilledNodeRejoinsWhenRestarted() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "local-cluster-");
    LocalClusterSettings settings = LocalClusterSettings.of(2, TestCassandra.server().contactPointString(),
        TestCassandra.uniqueKeyspace("localcluster"), work);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      String key = Files.readString(settings.dataDir().resolve("dev-api-key")).strip();
      ParleyApi api = new ParleyApi(cluster.httpBase(0), key);
      String assistantId = api.createAssistant(new ObjectMapper().readTree(ASSISTANT));
      String callId = api.createCall(assistantId, WireFormat.PCM_16K).id();

      int host = awaitHost(cluster, callId);
      int other = 1 - host;
      assertEquals(Math.abs(callId.hashCode() % 1000), Integer.parseInt(LocalCluster.shardOf(callId, 1000)));
      assertEquals(137, cluster.kill(host), "kill -9 ends the JVM by SIGKILL");
      assertFalse(cluster.isAlive(host));
      assertTrue(cluster.isAlive(other));

      cluster.restart(host);
      assertTrue(cluster.isAlive(host));
      ParleyApi restarted = new ParleyApi(cluster.httpBase(host), key);
      assertEquals(callId, restarted.getCall(callId).path("id").asText());
      assertTrue(Files.readString(cluster.log(host)).contains("=== node " + host + " start 2"));
    } finally {
      TestCassandra.deleteRecursively(work);
    }
  }

  private static int awaitHost(LocalCluster cluster, String callId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      OptionalInt host = cluster.hostOf(callId);
      if (host.isPresent()) {
        return host.getAsInt();
      }
      assertTrue(System.nanoTime() - deadline < 0, "no node lists the shard of call " + callId);
      Thread.sleep(200);
    }
  }
}
