package dev.parley.loadtest.bench;

import java.util.Locale;

/**
 * Which providers a voice benchmark's assistant uses. {@code offline}: the node's own scripted
 * model, flite voice and PocketSphinx. {@code loopback}: OpenAI chat and speech and Deepgram live
 * served by {@code InstantProviders} with no thinking time, so the figures are the platform's own
 * overhead (voice detection, turn-taking, streams, pacing, transport). The wrapper scripts start
 * the loopback server and point the node at it; this only picks the matching assistant. Public for
 * the Gatling simulation (src/gatling/java), which sends the loopback assistant inline.
 */
public enum BenchProviders {
  OFFLINE("""
      {"name": "bench-offline", "firstMessage": "Hello.",
       "startSpeakingPlan": {"waitSeconds": %s},
       "model": {"provider": "parley-scripted", "script": {"rules": [
         {"keywords": ["weather"], "reply": "It is sunny today."},
         {"keywords": ["time"], "reply": "It is noon."},
         {"keywords": ["name"], "reply": "My name is Parley."},
         {"keywords": ["thank"], "reply": "You are welcome."}],
         "fallbackReply": "I see."}},
       "voice": {"provider": "parley-flite", "voiceId": "kal16"},
       "transcriber": {"provider": "parley-pocketsphinx"}}
      """),
  LOOPBACK("""
      {"name": "bench-loopback", "firstMessage": "Hello.",
       "startSpeakingPlan": {"waitSeconds": %s},
       "model": {"provider": "openai", "model": "gpt-bench"},
       "voice": {"provider": "openai", "voiceId": "alloy"},
       "transcriber": {"provider": "deepgram"}}
      """);

  /** The assistants' startSpeakingPlan.waitSeconds: the designed pause, not platform overhead. */
  static final double WAIT_SECONDS = 0.4;

  private final String assistantTemplate;

  BenchProviders(String assistantTemplate) {
    this.assistantTemplate = assistantTemplate;
  }

  public String assistantJson() {
    return assistantTemplate.formatted(WAIT_SECONDS);
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static BenchProviders parse(String value) {
    for (BenchProviders mode : values()) {
      if (mode.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown providers mode '" + value + "': use offline or loopback");
  }
}
