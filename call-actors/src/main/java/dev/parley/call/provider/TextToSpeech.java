package dev.parley.call.provider;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A text-to-speech provider: one chunk of text (a sentence) in, its audio out as 16 kHz PCM in
 * chunks of any size, starting as soon as the provider has some. Cancelling the source cancels
 * the synthesis; a failure fails it with a {@link ProviderException}.
 */
public interface TextToSpeech {

  /** {@code voice}: the assistant's {@code voice} object (provider, voiceId, speed...). */
  Source<ByteString, NotUsed> synthesize(String text, JsonNode voice);
}
