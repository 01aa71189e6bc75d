package dev.parley.call.provider;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A language model provider: the conversation so far in, a streamed reply out (text deltas and
 * tool calls). Cancelling the source cancels the request; a failure fails it with a
 * {@link ProviderException}.
 */
public interface LanguageModel {

  Source<ModelEvent, NotUsed> complete(ModelRequest request);
}
