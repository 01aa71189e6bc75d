package dev.parley.call.providers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.providers.flite.FliteTextToSpeech;

/** Speech for the speech providers' tests: sentences spoken by flite, silence, noise, frames. */
public final class SpeechFixtures {

  /**
   * Ten-word sentences a caller might say, chosen among candidates because PocketSphinx's generic
   * US English model hears all of them right from flite's rms voice (some candidates, such as
   * "please book a table...", it mishears: "please but the table...").
   */
  public static final List<String> SENTENCES = List.of(
      "i would like to speak with someone about my last order",
      "can you tell me when the store opens tomorrow morning",
      "my account number is written on the back of the card",
      "i would like to make an appointment for next week",
      "i need to change the address on my account please");

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpeechFixtures() {}

  public static JsonNode voice(String voiceId) {
    return JSON.createObjectNode().put("provider", FliteTextToSpeech.NAME).put("voiceId", voiceId);
  }

  /** The whole audio of {@code text} (16 kHz PCM); blocks, for test set-up. */
  public static byte[] speak(FliteTextToSpeech tts, ActorSystem<?> system, String text, String voiceId)
      throws Exception {
    return tts.synthesize(text, voice(voiceId))
        .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system)
        .toCompletableFuture().get(30, TimeUnit.SECONDS).toArray();
  }

  public static byte[] silence(int millis) {
    return new byte[millis * Pcm16.BYTES_PER_MS];
  }

  /** Gaussian white noise of the given standard deviation (in sample units), reproducible. */
  public static byte[] whiteNoise(int millis, double deviation, long seed) {
    java.util.Random random = new java.util.Random(seed);
    short[] samples = new short[millis * Pcm16.SAMPLE_RATE / 1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, random.nextGaussian() * deviation));
    }
    return dev.parley.call.audio.Samples.toBytes(samples);
  }

  public static short[] samples(byte[] pcm) {
    short[] samples = new short[pcm.length / 2];
    ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
    return samples;
  }

  /** Root mean square of the samples, in sample units. */
  public static double rms(short[] samples) {
    double sum = 0;
    for (short s : samples) {
      sum += (double) s * s;
    }
    return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
  }

  /** Whole frames of {@code frameSamples} samples; a partial last frame is dropped. */
  public static List<short[]> frames(byte[] pcm, int frameSamples) {
    short[] all = samples(pcm);
    List<short[]> frames = new java.util.ArrayList<>();
    for (int at = 0; at + frameSamples <= all.length; at += frameSamples) {
      frames.add(java.util.Arrays.copyOfRange(all, at, at + frameSamples));
    }
    return frames;
  }

  public static byte[] concat(byte[]... parts) {
    ByteString all = ByteString.emptyByteString();
    for (byte[] part : parts) {
      all = all.concat(ByteString.fromArray(part));
    }
    return all.toArray();
  }
}
