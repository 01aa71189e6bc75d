package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The optional Cassandra StatefulSet is the one the nodes' contact points name. */
class CassandraManifestTest {

  private final Manifests manifests = new Manifests();
  private final JsonNode statefulSet = manifests.one("StatefulSet", "cassandra");
  private final JsonNode cassandra = statefulSet.path("spec").path("template").path("spec").path("containers").get(0);
  private final Map<String, JsonNode> nodeEnv = Manifests.env(manifests.nodeContainer());

  @Test
  void contactPointsAreTheHeadlessServiceOnTheCqlPort() {
    JsonNode service = manifests.one("Service", statefulSet.path("spec").path("serviceName").asText());
    assertEquals("None", service.path("spec").path("clusterIP").asText(), "headless");
    int cqlPort = Manifests.ports(cassandra).get("cql");
    for (String point : nodeEnv.get("PARLEY_CASSANDRA_CONTACT_POINTS").path("value").asText().split(",")) {
      assertEquals(service.path("metadata").path("name").asText() + ":" + cqlPort, point.strip());
    }
    assertEquals(Manifests.labels(statefulSet.path("spec").path("selector").path("matchLabels")),
        Manifests.labels(service.path("spec").path("selector")));
  }

  @Test
  void datacenterAndReplicationAgreeWithTheClusterProfile() {
    String datacenter = Manifests.env(cassandra).get("CASSANDRA_DC").path("value").asText();
    assertEquals(datacenter, nodeEnv.get("PARLEY_CASSANDRA_LOCAL_DATACENTER").path("value").asText());
    int replication = NodeSettings.clusterProfile().getInt("parley.cassandra.replication-factor");
    assertTrue(statefulSet.path("spec").path("replicas").asInt() >= replication,
        "enough Cassandra nodes for replication factor " + replication);
  }

  @Test
  void usesTheOfficialImageWithPersistentData() {
    assertTrue(cassandra.path("image").asText().startsWith("cassandra:"), cassandra.path("image").asText());
    assertEquals("/var/lib/cassandra", cassandra.path("volumeMounts").get(0).path("mountPath").asText());
    assertEquals(cassandra.path("volumeMounts").get(0).path("name").asText(),
        statefulSet.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText());
  }
}
