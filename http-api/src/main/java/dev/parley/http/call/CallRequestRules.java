package dev.parley.http.call;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code POST /call} refuses beyond the body's schema: what a public key may not ask for, the
 * Vapi fields not supported yet, and the rules the schema cannot say.
 */
final class CallRequestRules {

  static final String WEBSOCKET = "vapi.websocket";
  static final List<Integer> PCM_RATES = List.of(8000, 16000, 24000, 48000);
  /** Vapi's other ways to start a call, each with why we refuse it. */
  private static final Map<String, String> NOT_YET = Map.ofEntries(
      Map.entry("squadId", "squads are not supported yet: start the call with assistantId or assistant"),
      Map.entry("squad", "squads are not supported yet: start the call with assistantId or assistant"),
      Map.entry("squadOverrides", "squads are not supported yet: start the call with assistantId or assistant"),
      Map.entry("workflowId", "workflows are not supported yet: start the call with assistantId or assistant"),
      Map.entry("workflow", "workflows are not supported yet: start the call with assistantId or assistant"),
      Map.entry("workflowOverrides", "workflows are not supported yet: start the call with assistantId or assistant"),
      Map.entry("phoneNumberId", "phone calls are not supported yet: use transport.provider vapi.websocket"),
      Map.entry("phoneNumber", "phone calls are not supported yet: use transport.provider vapi.websocket"),
      Map.entry("customerId", "saved customers are not supported yet: send customer inline"),
      Map.entry("customers", "batch calls are not supported yet: create one call per customer"),
      Map.entry("schedulePlan", "scheduled calls are not supported yet"),
      Map.entry("assistantVersion", "assistant versions are not supported yet"));
  private static final Set<String> PUBLIC_KEY_FIELDS = Set.of("assistantId", "assistantOverrides", "metadata", "transport");

  private CallRequestRules() {}

  /** Why a public key may not make this call (403), or empty. */
  static Optional<String> publicKeyRefusal(ObjectNode body) {
    String allowed = "a public key can only start a call with assistantId, assistantOverrides.variableValues, "
        + "metadata and the " + WEBSOCKET + " transport; use a private key for ";
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!PUBLIC_KEY_FIELDS.contains(name)) {
        return Optional.of(allowed + name);
      }
    }
    if (!body.has("assistantId")) {
      return Optional.of(allowed + "calls without assistantId");
    }
    JsonNode overrides = body.path("assistantOverrides");
    if (overrides.isObject()) {
      for (Iterator<String> names = overrides.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals(AssistantOverrides.VARIABLE_VALUES)) {
          return Optional.of(allowed + "assistantOverrides." + name);
        }
      }
    }
    JsonNode provider = body.path("transport").path("provider");
    if (provider.isTextual() && !provider.asText().equals(WEBSOCKET)) {
      return Optional.of(allowed + "the " + provider.asText() + " transport");
    }
    return Optional.empty();
  }

  /** Vapi fields and transports we do not support yet (400); checked before the schema for a clearer answer. */
  static List<String> notSupportedYet(ObjectNode body) {
    List<String> problems = new ArrayList<>();
    NOT_YET.forEach((field, reason) -> {
      if (body.has(field)) {
        problems.add(field + ": " + reason);
      }
    });
    JsonNode provider = body.path("transport").path("provider");
    if (provider.isTextual() && !provider.asText().equals(WEBSOCKET)) {
      problems.add("transport.provider " + provider.asText() + " is not supported yet: phone and SIP transports "
          + "come later; use " + WEBSOCKET);
    }
    problems.sort(null);
    return problems;
  }

  /** After the schema: exactly one assistant, and an audio format the transport can carry. */
  static List<String> problems(ObjectNode body) {
    List<String> problems = new ArrayList<>();
    boolean byId = body.has("assistantId") && !body.get("assistantId").isNull();
    boolean inline = body.has("assistant") && !body.get("assistant").isNull();
    if (byId && inline) {
      problems.add("assistantId and assistant cannot both be set: use assistantId for a saved assistant "
          + "or assistant for a transient one");
    } else if (!byId && !inline) {
      problems.add("assistantId or assistant is required");
    }
    JsonNode format = body.path("transport").path("audioFormat");
    if ("mulaw".equals(format.path("format").asText()) && format.path("sampleRate").asInt() != 8000) {
      problems.add("transport.audioFormat.sampleRate must be 8000 for mulaw");
    }
    return problems;
  }
}
