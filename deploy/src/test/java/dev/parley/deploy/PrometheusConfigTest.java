package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** deploy/prometheus/prometheus.yml scrapes /metrics on the nodes' http port. */
class PrometheusConfigTest {

  private static final String METRICS_ROUTE = "http-api/src/main/java/dev/parley/http/ops/MetricsRoute.java";

  private final JsonNode job = parleyJob();
  private final Manifests manifests = new Manifests();

  @Test
  void scrapesThePathTheMetricsRouteServes() {
    String path = job.path("metrics_path").asText();
    assertEquals("/metrics", path);
    assertTrue(RepoFiles.read(METRICS_ROUTE).contains("path(\"" + path.substring(1) + "\""),
        "MetricsRoute serves " + path);
    assertEquals("pod", job.path("kubernetes_sd_configs").get(0).path("role").asText());
  }

  @Test
  void keepsOnlyParleyPodsOnTheirHttpPort() {
    Map<String, String> keep = keepRules();
    Map<String, String> podLabels = Manifests.labels(
        manifests.one("Deployment", "parley").path("spec").path("template").path("metadata").path("labels"));
    assertEquals(podLabels.get("app"), keep.get("__meta_kubernetes_pod_label_app"));

    Integer port = Manifests.ports(manifests.nodeContainer()).get(keep.get("__meta_kubernetes_pod_container_port_name"));
    assertEquals(NodeSettings.httpPort(), port, "the kept port name is the http port");
  }

  /** source label to regex of every "keep" relabelling. */
  private Map<String, String> keepRules() {
    Map<String, String> keep = new HashMap<>();
    for (JsonNode rule : job.path("relabel_configs")) {
      if (rule.path("action").asText().equals("keep")) {
        assertEquals(1, rule.path("source_labels").size());
        keep.put(rule.path("source_labels").get(0).asText(), rule.path("regex").asText());
      }
    }
    return keep;
  }

  private static JsonNode parleyJob() {
    List<JsonNode> documents = RepoFiles.yamlDocuments(RepoFiles.path("deploy/prometheus/prometheus.yml"));
    assertEquals(1, documents.size());
    for (JsonNode job : documents.get(0).path("scrape_configs")) {
      if (job.path("job_name").asText().equals("parley")) {
        return job;
      }
    }
    throw new AssertionError("no scrape job named parley");
  }
}
