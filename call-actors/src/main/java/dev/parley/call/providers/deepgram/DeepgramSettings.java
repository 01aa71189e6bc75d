package dev.parley.call.providers.deepgram;

import java.time.Duration;

import com.typesafe.config.Config;

/**
 * How a node talks to Deepgram ({@code parley.call-actors.providers.deepgram}).
 *
 * @param baseUrl          the API root, e.g. {@code wss://api.deepgram.com/v1}
 * @param apiKey           sent as {@code Authorization: Token <key>}
 * @param keepAlive        idle time after which a {@code KeepAlive} goes out (Deepgram drops a
 *                         socket after 10 s without audio, and only voiced audio is sent)
 * @param finalizeTimeout  how long a {@code Finalize} may go unanswered before the utterance is
 *                         closed with what is final so far
 * @param finalizeTimeoutWithoutWords  the same when nothing of the utterance is final yet (closing
 *                         it then loses the caller's turn); at least {@code finalizeTimeout}
 * @param closeTimeout     how long Deepgram may take to close after {@code CloseStream}
 * @param sendBuffer       messages queued for the socket before the call fails as backlogged
 */
public record DeepgramSettings(String baseUrl, String apiKey, Duration keepAlive, Duration finalizeTimeout,
    Duration finalizeTimeoutWithoutWords, Duration closeTimeout, int sendBuffer) {

  public DeepgramSettings {
    if (finalizeTimeoutWithoutWords.compareTo(finalizeTimeout) < 0) {
      finalizeTimeoutWithoutWords = finalizeTimeout;
    }
  }

  public static DeepgramSettings fromConfig(Config deepgram) {
    return new DeepgramSettings(
        deepgram.getString("base-url"),
        deepgram.getString("api-key"),
        deepgram.getDuration("keep-alive"),
        deepgram.getDuration("finalize-timeout"),
        deepgram.getDuration("finalize-timeout-without-words"),
        deepgram.getDuration("close-timeout"),
        deepgram.getInt("send-buffer"));
  }
}
