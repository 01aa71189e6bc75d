package dev.parley.call.live;

/**
 * The Vapi {@code endedReason} of a provider failure that carries none of its own (an exception
 * that is not a {@link dev.parley.call.provider.ProviderException}, or a provider that is missing).
 */
final class FailureReasons {

  private FailureReasons() {}

  static String model(String provider) {
    return switch (provider) {
      case "openai" -> "pipeline-error-openai-llm-failed";
      case "azure-openai" -> "pipeline-error-azure-openai-llm-failed";
      default -> "pipeline-error-custom-llm-llm-failed";
    };
  }

  static String voice(String provider) {
    return switch (provider) {
      case "openai" -> "pipeline-error-openai-voice-failed";
      case "deepgram" -> "pipeline-error-deepgram-voice-failed";
      case "11labs" -> "pipeline-error-eleven-labs-voice-failed";
      default -> "pipeline-error-custom-voice-failed";
    };
  }

  static String transcriber(String provider) {
    return switch (provider) {
      case "deepgram" -> "pipeline-error-deepgram-transcriber-failed";
      case "openai" -> "pipeline-error-openai-transcriber-failed";
      case "11labs" -> "pipeline-error-eleven-labs-transcriber-failed";
      default -> "pipeline-error-custom-transcriber-failed";
    };
  }
}
