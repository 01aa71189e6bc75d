package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;

/** Bootstrap RBAC, selectors, Service, PodDisruptionBudget and autoscaler around the Deployment. */
class ClusterObjectsTest {

  private final Manifests manifests = new Manifests();
  private final JsonNode deployment = manifests.one("Deployment", "parley");
  private final Map<String, String> podLabels =
      Manifests.labels(deployment.path("spec").path("template").path("metadata").path("labels"));

  @Test
  void podsCarryTheLabelClusterBootstrapLooksFor() {
    Config config = NodeSettings.clusterProfile();
    String selector = String.format(config.getString("pekko.discovery.kubernetes-api.pod-label-selector"),
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
    String[] keyValue = selector.split("=", 2);
    assertEquals(keyValue[1], podLabels.get(keyValue[0]));
  }

  @Test
  void selectorsMatchThePodTemplate() {
    assertSelects(deployment.path("spec").path("selector").path("matchLabels"), "Deployment");
    assertSelects(manifests.one("Service", "parley").path("spec").path("selector"), "Service");
    assertSelects(manifests.one("PodDisruptionBudget", "parley").path("spec").path("selector").path("matchLabels"),
        "PodDisruptionBudget");
  }

  @Test
  void serviceExposesTheHttpPort() {
    JsonNode ports = manifests.one("Service", "parley").path("spec").path("ports");
    assertEquals(1, ports.size());
    assertEquals("http", ports.get(0).path("targetPort").asText());
    assertTrue(Manifests.ports(manifests.nodeContainer()).containsKey("http"));
  }

  @Test
  void podsMayReadPodsThroughTheirServiceAccount() {
    String account = deployment.path("spec").path("template").path("spec").path("serviceAccountName").asText();
    manifests.one("ServiceAccount", account);

    JsonNode binding = manifests.one("RoleBinding", "parley-pod-reader");
    assertEquals("Role", binding.path("roleRef").path("kind").asText());
    JsonNode subject = binding.path("subjects").get(0);
    assertEquals(List.of("ServiceAccount", account), List.of(subject.path("kind").asText(), subject.path("name").asText()));

    JsonNode role = manifests.one("Role", binding.path("roleRef").path("name").asText());
    Set<String> verbs = new HashSet<>();
    for (JsonNode rule : role.path("rules")) {
      if (texts(rule.path("apiGroups")).contains("") && texts(rule.path("resources")).contains("pods")) {
        verbs.addAll(texts(rule.path("verbs")));
      }
    }
    assertTrue(verbs.containsAll(Set.of("get", "watch", "list")), "verbs on pods: " + verbs);
  }

  @Test
  void autoscalerScalesTheDeploymentOnCpu() {
    JsonNode hpa = manifests.one("HorizontalPodAutoscaler", "parley");
    assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
    JsonNode target = hpa.path("spec").path("scaleTargetRef");
    assertEquals(List.of("apps/v1", "Deployment", "parley"),
        List.of(target.path("apiVersion").asText(), target.path("kind").asText(), target.path("name").asText()));
    JsonNode metric = hpa.path("spec").path("metrics").get(0);
    assertEquals("cpu", metric.path("resource").path("name").asText());
    assertEquals("Utilization", metric.path("resource").path("target").path("type").asText());
    // utilisation is measured against the request
    assertTrue(manifests.nodeContainer().path("resources").path("requests").has("cpu"), "a CPU request");

    int required = NodeSettings.clusterProfile()
        .getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr");
    assertTrue(hpa.path("spec").path("minReplicas").asInt() > required,
        "minReplicas above the bootstrap's " + required + " required contact points");
  }

  private void assertSelects(JsonNode selector, String what) {
    Map<String, String> labels = Manifests.labels(selector);
    assertTrue(!labels.isEmpty() && podLabels.entrySet().containsAll(labels.entrySet()),
        what + " selects " + labels + ", pods carry " + podLabels);
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> texts = new HashSet<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
