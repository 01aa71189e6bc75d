package dev.parley.call.providers.openai;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.apache.pekko.japi.pf.PFBuilder;

import dev.parley.call.provider.ProviderException;

/** Turns transport failures (refused connections, cut streams, timeouts) into ProviderExceptions. */
final class OpenAiFailures {

  private OpenAiFailures() {}

  /** For the request itself: the server could not be reached or did not answer. */
  static scala.PartialFunction<Throwable, Throwable> unreachable(OpenAiEndpoint endpoint, String path) {
    return wrapping(endpoint, endpoint.label() + ": could not reach " + endpoint.url(path) + ": ");
  }

  /** For a response body that broke off, could not be read, or did not start within {@code timeout}. */
  static scala.PartialFunction<Throwable, Throwable> midStream(OpenAiEndpoint endpoint, Duration timeout) {
    return wrapping(endpoint, endpoint.label() + ": the response stream failed: ", timeout);
  }

  private static scala.PartialFunction<Throwable, Throwable> wrapping(OpenAiEndpoint endpoint, String prefix) {
    return wrapping(endpoint, prefix, null);
  }

  private static scala.PartialFunction<Throwable, Throwable> wrapping(OpenAiEndpoint endpoint, String prefix,
      Duration timeout) {
    return new PFBuilder<Throwable, Throwable>()
        .match(ProviderException.class, e -> e)
        // a failed future in mapAsync arrives wrapped
        .match(CompletionException.class, e -> e.getCause() instanceof ProviderException, e -> e.getCause())
        .match(TimeoutException.class, e -> timeout != null, e -> new ProviderException(endpoint.failureReason(),
            endpoint.label() + ": no response within " + timeout.toMillis() + " ms", e))
        .matchAny(e -> new ProviderException(endpoint.failureReason(), prefix + describe(e), e))
        .build();
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
