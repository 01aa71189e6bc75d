package dev.parley.call.provider;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A speech-to-text provider. One {@link #open} per call: caller audio (16 kHz PCM) and the voice
 * detector's end-of-speech marks in, partial and final transcripts out. Cancelling or completing
 * the stream closes the provider's session; a provider failure fails the stream with a
 * {@link ProviderException}.
 */
public interface SpeechToText {

  /** {@code transcriber}: the assistant's {@code transcriber} object, as configured. */
  Flow<SttInput, Transcript, NotUsed> open(JsonNode transcriber);
}
