package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;

/** The parley Deployment against the node's own configuration and routes. */
class NodeDeploymentTest {

  private static final String HEALTH_ROUTES = "http-api/src/main/java/dev/parley/http/ops/HealthRoutes.java";

  private final Manifests manifests = new Manifests();
  private final JsonNode container = manifests.nodeContainer();

  @Test
  void everyManifestParsesAndLeavesTheNamespaceToKubectl() {
    assertTrue(manifests.all().size() >= 9, "manifests found: " + manifests.all().size());
    for (Manifests.Manifest manifest : manifests.all()) {
      assertFalse(manifest.object().path("apiVersion").asText().isEmpty(), manifest.file() + ": apiVersion");
      assertFalse(manifest.kind().isEmpty(), manifest.file() + ": kind");
      assertFalse(manifest.name().isEmpty(), manifest.file() + ": metadata.name");
      assertTrue(manifest.object().path("metadata").path("namespace").isMissingNode(),
          manifest.file() + " " + manifest.name() + " names a namespace");
    }
  }

  @Test
  void containerPortsAreTheNodesDefaults() {
    assertEquals(Map.of(
        "http", NodeSettings.httpPort(),
        "remoting", NodeSettings.remotingPort(),
        "management", NodeSettings.managementPort()), Manifests.ports(container));
  }

  @Test
  void probesAskTheHealthRoutesOnTheHttpPort() {
    Set<String> served = healthPaths();
    assertEquals(Set.of("/health/alive", "/health/ready"), served, "HealthRoutes serves");

    assertProbe("readinessProbe", "/health/ready");
    assertProbe("livenessProbe", "/health/alive");
    assertProbe("startupProbe", "/health/alive");
  }

  @Test
  void everyParleyVariableSetIsOneTheNodeReads() {
    Set<String> read = NodeSettings.variablesRead();
    Set<String> set = new TreeSet<>(Manifests.env(container).keySet());
    assertTrue(set.stream().allMatch(name -> name.startsWith("PARLEY_")), "env: " + set);
    Set<String> unknown = new TreeSet<>(set);
    unknown.removeAll(read);
    assertEquals(Set.of(), unknown, "variables no configuration file, NodeConfig or the launcher reads");
  }

  @Test
  void nodesRunTheClusterProfileAndBootstrapFromTheirPodAddress() {
    Map<String, JsonNode> env = Manifests.env(container);
    assertEquals("cluster", env.get("PARLEY_PROFILE").path("value").asText());
    assertEquals("on", env.get("PARLEY_CLUSTER_BOOTSTRAP").path("value").asText());
    assertEquals("status.podIP",
        env.get("PARLEY_CLUSTER_HOSTNAME").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    assertFalse(env.get("PARLEY_CASSANDRA_CONTACT_POINTS").path("value").asText().isBlank());
  }

  @Test
  void secretsComeFromTheSecretManifestWhichHoldsNoSecret() {
    JsonNode secret = manifests.one("Secret", "parley-secrets");
    Map<String, String> refs = new LinkedHashMap<>();
    Manifests.env(container).forEach((name, entry) -> {
      JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        assertEquals("parley-secrets", ref.path("name").asText(), name);
        refs.put(name, ref.path("key").asText());
      }
    });
    assertEquals(Map.of("PARLEY_CREDENTIAL_KEY", "credential-key", "PARLEY_CALL_TOKEN_SECRET", "call-token-secret"), refs);
    for (String key : refs.values()) {
      assertEquals("", secret.path("stringData").path(key).asText(null), "placeholder for " + key);
    }
    assertTrue(secret.path("data").isMissingNode(), "no base64 data in the committed Secret");
  }

  @Test
  void terminationGraceCoversCoordinatedShutdown() {
    Config config = NodeSettings.clusterProfile();
    Duration defaultTimeout = config.getDuration("pekko.coordinated-shutdown.default-phase-timeout");
    Config phases = config.getConfig("pekko.coordinated-shutdown.phases");
    Duration worstCase = phases.root().keySet().stream()
        .map(phase -> phases.getConfig(phase))
        .map(phase -> phase.hasPath("timeout") ? phase.getDuration("timeout") : defaultTimeout)
        .reduce(Duration.ZERO, Duration::plus);
    long grace = manifests.one("Deployment", "parley").path("spec").path("template").path("spec")
        .path("terminationGracePeriodSeconds").asLong();
    assertTrue(grace > worstCase.toSeconds(),
        "terminationGracePeriodSeconds " + grace + " <= phases' total " + worstCase.toSeconds() + " s");
  }

  private void assertProbe(String probe, String path) {
    JsonNode get = container.path(probe).path("httpGet");
    assertEquals(path, get.path("path").asText(), probe);
    assertEquals("http", get.path("port").asText(), probe + " port");
  }

  /** "/prefix/path" for the pathPrefix and paths HealthRoutes declares. */
  private static Set<String> healthPaths() {
    String source = RepoFiles.read(HEALTH_ROUTES);
    Matcher prefix = Pattern.compile("pathPrefix\\(\"([a-z-]+)\"").matcher(source);
    assertTrue(prefix.find(), "pathPrefix in " + HEALTH_ROUTES);
    Set<String> paths = new TreeSet<>();
    Matcher path = Pattern.compile("\\bpath\\(\"([a-z-]+)\"").matcher(source);
    while (path.find()) {
      paths.add("/" + prefix.group(1) + "/" + path.group(1));
    }
    return paths;
  }
}
