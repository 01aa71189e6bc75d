package dev.parley.call.provider;

/**
 * A provider failed. {@code endedReason} is the Vapi {@code endedReason} a call ends with when
 * this failure ends it (e.g. {@code pipeline-error-openai-llm-failed}).
 */
public final class ProviderException extends RuntimeException {

  private final String endedReason;

  public ProviderException(String endedReason, String message) {
    super(message);
    this.endedReason = endedReason;
  }

  public ProviderException(String endedReason, String message, Throwable cause) {
    super(message, cause);
    this.endedReason = endedReason;
  }

  public String endedReason() {
    return endedReason;
  }
}
