package dev.parley.http.api;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.http.JsonMapper;
import dev.parley.registry.resource.JsonBodies;
import dev.parley.registry.resource.Resource;
import dev.parley.registry.resource.ResourceKind;

/** A resource on the wire: id and orgId, the client's fields, then the timestamps. */
final class ResourceJson {

  /** Credential fields that are never sent back in full. */
  static final Set<String> SECRET_FIELDS = Set.of("apiKey", "authToken", "apiSecret", "secret", "secretKey",
      "privateKey", "password", "token", "clientSecret", "accessToken", "refreshToken", "awsSecretAccessKey",
      "serviceKey", "webhookSecret", "openAIKey", "ocpApimSubscriptionKey", "twilioAuthToken", "twilioApiSecret");

  private ResourceJson() {}

  static ObjectNode render(Resource resource) {
    ObjectNode out = JsonMapper.MAPPER.createObjectNode();
    out.put("id", resource.id());
    out.put("orgId", resource.orgId());
    ObjectNode body = JsonBodies.parseObject(resource.body());
    if (resource.kind() == ResourceKind.CREDENTIAL || resource.kind() == ResourceKind.PHONE_NUMBER) {
      mask(body);
    }
    body.remove(Set.of("id", "orgId", "createdAt", "updatedAt"));
    out.setAll(body);
    out.put("createdAt", timestamp(resource.createdAt()));
    out.put("updatedAt", timestamp(resource.updatedAt()));
    return out;
  }

  static String timestamp(Instant instant) {
    return JsonMapper.timestamp(instant);
  }

  /** "****" plus the last four characters, so people can tell their keys apart. */
  static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (SECRET_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
          String value = field.getValue().asText();
          field.setValue(object.textNode("****" + (value.length() > 8 ? value.substring(value.length() - 4) : "")));
        } else {
          mask(field.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(ResourceJson::mask);
    }
  }
}
