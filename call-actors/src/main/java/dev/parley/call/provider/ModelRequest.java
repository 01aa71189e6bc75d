package dev.parley.call.provider;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One completion: {@code model} is the assistant's {@code model} object (provider, model name,
 * temperature, tools, scripted rules...), {@code messages} the conversation in OpenAI's roles
 * (system prompt first), {@code tools} the functions the model may call, as OpenAI tool objects.
 */
public record ModelRequest(JsonNode model, List<ChatMessage> messages, List<JsonNode> tools) {}
