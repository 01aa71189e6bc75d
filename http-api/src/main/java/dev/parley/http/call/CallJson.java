package dev.parley.http.call;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.CallMessage;
import dev.parley.call.CallRecord;
import dev.parley.call.CallState;
import dev.parley.call.CallStatus;
import dev.parley.call.TurnLatency;
import dev.parley.call.VapiMessages;
import dev.parley.call.readside.CallSummary;
import dev.parley.http.JsonMapper;
import dev.parley.http.auth.CallTokens;

/**
 * A call on the wire, as Vapi's {@code Call}: the summary (lists, {@code POST}) or with the
 * conversation ({@code GET/DELETE /call/{id}}: messages and the artifact). The WebSocket URL gets
 * a fresh call token on every rendering.
 */
final class CallJson {

  private CallJson() {}

  static ObjectNode summary(CallSummary row, CallTokens tokens) {
    return summary(row.call(), row.status(), row.startedAt(), row.endedAt(), row.endedReason(), row.updatedAt(),
        tokens);
  }

  static ObjectNode full(CallState state, CallTokens tokens) {
    ObjectNode out = summary(state.call(), state.status(), state.startedAt(), state.endedAt(), state.endedReason(),
        state.updatedAt(), tokens);
    out.set("messages", VapiMessages.messages(state));
    ObjectNode artifact = out.putObject("artifact");
    artifact.put("transcript", VapiMessages.transcript(state.messages()));
    artifact.set("messages", VapiMessages.messages(state));
    artifact.set("messagesOpenAIFormatted", VapiMessages.openAiFormatted(state));
    artifact.set("performanceMetrics", performanceMetrics(state.messages()));
    return out;
  }

  private static ObjectNode summary(CallRecord call, CallStatus status, Instant startedAt, Instant endedAt,
      String endedReason, Instant updatedAt, CallTokens tokens) {
    ObjectNode out = JsonMapper.MAPPER.createObjectNode();
    out.put("id", call.id());
    out.put("orgId", call.orgId());
    out.put("type", call.type());
    out.put("status", status.wireName());
    if (endedReason != null) {
      out.put("endedReason", endedReason);
    }
    out.put("createdAt", JsonMapper.timestamp(call.createdAt()));
    out.put("updatedAt", JsonMapper.timestamp(updatedAt));
    if (startedAt != null) {
      out.put("startedAt", JsonMapper.timestamp(startedAt));
    }
    if (endedAt != null) {
      out.put("endedAt", JsonMapper.timestamp(endedAt));
    }
    if (call.assistantId() != null) {
      out.put("assistantId", call.assistantId());
    } else {
      out.set("assistant", parse(call.assistantJson()));
    }
    setParsed(out, "assistantOverrides", call.assistantOverridesJson());
    if (call.name() != null) {
      out.put("name", call.name());
    }
    setParsed(out, "customer", call.customerJson());
    setParsed(out, "metadata", call.metadataJson());
    ObjectNode transport = (ObjectNode) parse(call.transportJson());
    if (transport.path("websocketCallUrl").isTextual()) {
      transport.put("websocketCallUrl", transport.get("websocketCallUrl").asText()
          + "?token=" + tokens.issue(call.id(), call.orgId()));
    }
    out.set("transport", transport);
    out.putArray("costs");
    out.put("cost", 0);
    return out;
  }

  /** Vapi's performanceMetrics from the turns that have latencies; no averages before the first turn. */
  static ObjectNode performanceMetrics(List<CallMessage> messages) {
    List<TurnLatency> turns = messages.stream()
        .filter(m -> m instanceof CallMessage.Bot bot && bot.latency() != null)
        .map(m -> ((CallMessage.Bot) m).latency())
        .toList();
    ObjectNode metrics = JsonMapper.MAPPER.createObjectNode();
    ArrayNode latencies = metrics.putArray("turnLatencies");
    turns.forEach(turn -> latencies.addObject()
        .put("modelLatency", turn.modelMs())
        .put("voiceLatency", turn.voiceMs())
        .put("transcriberLatency", turn.transcriberMs())
        .put("endpointingLatency", turn.endpointingMs())
        .put("turnLatency", turn.turnMs()));
    if (!turns.isEmpty()) {
      metrics.put("modelLatencyAverage", average(turns, TurnLatency::modelMs));
      metrics.put("voiceLatencyAverage", average(turns, TurnLatency::voiceMs));
      metrics.put("transcriberLatencyAverage", average(turns, TurnLatency::transcriberMs));
      metrics.put("endpointingLatencyAverage", average(turns, TurnLatency::endpointingMs));
      metrics.put("turnLatencyAverage", average(turns, TurnLatency::turnMs));
    }
    return metrics;
  }

  private static double average(List<TurnLatency> turns, ToLongFunction<TurnLatency> latency) {
    return turns.stream().mapToLong(latency).average().orElse(0);
  }

  private static void setParsed(ObjectNode out, String field, String json) {
    if (json != null) {
      out.set(field, parse(json));
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JsonMapper.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("A stored call field is not JSON: " + e.getMessage(), e);
    }
  }
}
