package dev.parley.call;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A call's conversation in Vapi's two wire shapes: {@code messages} (UserMessage, BotMessage,
 * SystemMessage, ToolCallMessage, ToolCallResultMessage, times in epoch milliseconds and seconds
 * from the start of the call) and {@code messagesOpenAIFormatted}.
 */
public final class VapiMessages {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private VapiMessages() {}

  /** A reply cut off before the caller heard any of it: in the journal, no part of the conversation. */
  private static boolean unheard(CallMessage message) {
    return message instanceof CallMessage.Bot m && m.message().isEmpty();
  }

  public static ArrayNode messages(CallState state) {
    ArrayNode out = MAPPER.createArrayNode();
    Instant start = state.startedAt() != null ? state.startedAt() : state.call().createdAt();
    for (CallMessage message : state.messages()) {
      if (unheard(message)) {
        continue;
      }
      ObjectNode node = out.addObject();
      if (message instanceof CallMessage.System m) {
        node.put("role", "system").put("message", m.message());
        times(node, m.time(), null, start);
      } else if (message instanceof CallMessage.User m) {
        node.put("role", "user").put("message", m.message());
        times(node, m.time(), m.endTime(), start);
      } else if (message instanceof CallMessage.Bot m) {
        node.put("role", "bot").put("message", m.message());
        times(node, m.time(), m.endTime(), start);
        node.put("source", m.source());
      } else if (message instanceof CallMessage.ToolCall m) {
        node.put("role", "tool_calls").put("message", "");
        ObjectNode call = node.putArray("toolCalls").addObject();
        call.put("id", m.toolCallId()).put("type", "function");
        call.putObject("function").put("name", m.name()).put("arguments", m.arguments());
        times(node, m.time(), null, start);
      } else if (message instanceof CallMessage.ToolResult m) {
        node.put("role", "tool_call_result").put("toolCallId", m.toolCallId()).put("name", m.name())
            .put("result", m.result());
        times(node, m.time(), null, start);
      }
    }
    return out;
  }

  public static ArrayNode openAiFormatted(CallState state) {
    ArrayNode out = MAPPER.createArrayNode();
    for (CallMessage message : state.messages()) {
      if (message instanceof CallMessage.System m) {
        out.addObject().put("role", "system").put("content", m.message());
      } else if (message instanceof CallMessage.User m) {
        out.addObject().put("role", "user").put("content", m.message());
      } else if (message instanceof CallMessage.Bot m && !unheard(m)) {
        out.addObject().put("role", "assistant").put("content", m.message());
      } else if (message instanceof CallMessage.ToolCall m) {
        ObjectNode node = out.addObject().put("role", "assistant");
        ObjectNode call = node.putArray("tool_calls").addObject();
        call.put("id", m.toolCallId()).put("type", "function");
        call.putObject("function").put("name", m.name()).put("arguments", m.arguments());
      } else if (message instanceof CallMessage.ToolResult m) {
        out.addObject().put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.result());
      }
    }
    return out;
  }

  /** "AI: ...\nUser: ...\n", as Vapi's artifact.transcript. */
  public static String transcript(List<CallMessage> messages) {
    StringBuilder text = new StringBuilder();
    for (CallMessage message : messages) {
      if (message instanceof CallMessage.User m) {
        text.append("User: ").append(m.message()).append('\n');
      } else if (message instanceof CallMessage.Bot m && !m.message().isEmpty()) {
        text.append("AI: ").append(m.message()).append('\n');
      }
    }
    return text.toString();
  }

  private static void times(ObjectNode node, Instant time, Instant endTime, Instant start) {
    node.put("time", time.toEpochMilli());
    if (endTime != null) {
      node.put("endTime", endTime.toEpochMilli());
      node.put("duration", endTime.toEpochMilli() - time.toEpochMilli());
    }
    node.put("secondsFromStart", Math.max(0, time.toEpochMilli() - start.toEpochMilli()) / 1000.0);
  }
}
