package dev.parley.loadtest.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.loadtest.robot.ParleyApi;

/**
 * What the voice benchmarks share: the API from a base URL and a key file, and the assistant of the
 * chosen providers mode ({@link BenchProviders}).
 */
public final class BenchSetup {

  /** Caller sentences, each matching one rule of the bench assistant. */
  public static final List<String> PROMPTS = List.of(
      "What is the weather today?",
      "What time is it now?",
      "Can you tell me your name?",
      "Thank you very much.");

  private BenchSetup() {}

  static ParleyApi api(String baseUrl, String keyFile) {
    try {
      String key = Files.readString(Path.of(keyFile)).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("the key file " + keyFile + " is empty");
      }
      return new ParleyApi(URI.create(baseUrl), key);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the API key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  static String createAssistant(ParleyApi api, BenchProviders providers) {
    try {
      JsonNode assistant = new ObjectMapper().readTree(providers.assistantJson());
      return api.createAssistant(assistant);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
