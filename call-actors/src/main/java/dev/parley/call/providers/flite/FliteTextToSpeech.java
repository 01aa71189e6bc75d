package dev.parley.call.providers.flite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Pointer;
import com.typesafe.config.Config;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Resampler;
import dev.parley.call.audio.Samples;
import dev.parley.call.provider.ProviderException;
import dev.parley.call.provider.TextToSpeech;
import dev.parley.call.providers.NativeLibraries;
import dev.parley.call.providers.SerialExecutor;

/**
 * Text-to-speech with flite 2.2 in-process (Debian {@code libflite1}): voices {@code rms},
 * {@code slt}, {@code kal16}, {@code awb} (and 8 kHz {@code kal}, resampled), chosen by the
 * assistant's {@code voice.voiceId}; {@code voice.speed} stretches durations. A sentence is
 * synthesised whole on the speech dispatcher (about 1% of its duration) and leaves in chunks.
 */
public final class FliteTextToSpeech implements TextToSpeech {

  public static final String NAME = "parley-flite";
  static final String INSTALL = "apt-get install flite libflite1";
  private static final String FAILED = "pipeline-error-custom-voice-failed";
  private static final float MIN_SPEED = 0.25f;
  private static final float MAX_SPEED = 4f;

  /**
   * flite promises no thread safety: utt_init links the voice's features into each utterance,
   * whose items then share (and count references to, without locks) the voice's values, and all
   * US voices share one lexicon. So one synthesis at a time per process: queued on a serial
   * executor, so no dispatcher thread waits; the lock only matters with two instances in one JVM.
   */
  private static final Object NATIVE = new Object();

  private final FliteLibrary flite;
  private final Map<String, Pointer> voices;
  private final String defaultVoice;
  private final int chunkBytes;
  private final Executor executor;

  private FliteTextToSpeech(FliteLibrary flite, Map<String, Pointer> voices, String defaultVoice, int chunkBytes,
      Executor executor) {
    this.flite = flite;
    this.voices = voices;
    this.defaultVoice = defaultVoice;
    this.chunkBytes = chunkBytes;
    this.executor = executor;
  }

  /**
   * Loads libflite and registers the configured voices ({@code parley.call-actors.providers.flite}).
   * Blocking start-up work. Throws {@link IllegalStateException} naming what is missing.
   */
  public static FliteTextToSpeech create(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("parley.call-actors.providers.flite");
    FliteLibrary flite = NativeLibraries.load(config.getString("library"), FliteLibrary.class, INSTALL);
    Map<String, Pointer> voices;
    synchronized (NATIVE) {
      flite.flite_init();
      voices = FliteVoices.register(config.getConfig("voices"), INSTALL);
    }
    String defaultVoice = config.getString("default-voice");
    if (!voices.containsKey(defaultVoice)) {
      throw new IllegalStateException("parley.call-actors.providers.flite.default-voice '" + defaultVoice
          + "' is not one of the configured voices " + voices.keySet());
    }
    Duration chunk = config.getDuration("chunk");
    int chunkBytes = (int) Math.max(Pcm16.FRAME_BYTES, chunk.toMillis() * Pcm16.BYTES_PER_MS);
    return new FliteTextToSpeech(flite, voices, defaultVoice, chunkBytes,
        new SerialExecutor(NativeLibraries.speechExecutor(system)));
  }

  @Override
  public Source<ByteString, NotUsed> synthesize(String text, JsonNode voice) {
    String voiceId = voiceId(voice);
    Pointer selected = voices.get(voiceId);
    if (selected == null) {
      return Source.failed(new ProviderException(FAILED,
          "flite has no voice '" + voiceId + "'; its voices are " + voices.keySet()));
    }
    if (text == null || text.isBlank()) {
      return Source.empty();
    }
    float stretch = 1f / speed(voice);
    return Source.lazyCompletionStage(() -> render(text, selected, stretch))
        .mapConcat(this::chunks)
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private CompletableFuture<byte[]> render(String text, Pointer voice, float stretch) {
    CompletableFuture<byte[]> audio = new CompletableFuture<>();
    executor.execute(() -> {
      try {
        audio.complete(toPlatformRate(synthesize(text, voice, stretch)));
      } catch (RuntimeException | Error e) {
        // JNA reports a bad memory access as an Error; the stream must still end
        audio.completeExceptionally(e);
      }
    });
    return audio;
  }

  private FliteLibrary.Wave synthesize(String text, Pointer voice, float stretch) {
    synchronized (NATIVE) {
      Pointer utterance = flite.new_utterance();
      try {
        flite.utt_set_input_text(utterance, text);
        flite.utt_init(utterance, voice);
        if (stretch != 1f) {
          flite.feat_set_float(FliteLibrary.features(utterance), "duration_stretch", stretch);
        }
        if (flite.utt_synth(utterance) == null) {
          throw new ProviderException(FAILED, "flite could not synthesise: " + text);
        }
        Pointer wave = flite.utt_wave(utterance);
        return wave == null ? new FliteLibrary.Wave(Pcm16.SAMPLE_RATE, new short[0]) : FliteLibrary.wave(wave);
      } finally {
        flite.delete_utterance(utterance);
      }
    }
  }

  private static byte[] toPlatformRate(FliteLibrary.Wave wave) {
    byte[] pcm = Samples.toBytes(wave.samples());
    if (wave.sampleRate() == Pcm16.SAMPLE_RATE || pcm.length == 0) {
      return pcm;
    }
    Resampler resampler = new Resampler(wave.sampleRate(), Pcm16.SAMPLE_RATE);
    byte[] body = resampler.process(pcm);
    // the resampler holds back its filter's half-length: silence pushes the last words out
    byte[] tail = resampler.process(new byte[wave.sampleRate() / 100 * Pcm16.BYTES_PER_SAMPLE]);
    byte[] out = new byte[body.length + tail.length];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return out;
  }

  private List<ByteString> chunks(byte[] pcm) {
    List<ByteString> chunks = new ArrayList<>(pcm.length / chunkBytes + 1);
    for (int at = 0; at < pcm.length; at += chunkBytes) {
      chunks.add(ByteString.fromArray(pcm, at, Math.min(chunkBytes, pcm.length - at)));
    }
    return chunks;
  }

  private String voiceId(JsonNode voice) {
    JsonNode id = voice == null ? null : voice.get("voiceId");
    return id == null || id.isNull() || id.asText().isBlank() ? defaultVoice : id.asText().toLowerCase(Locale.ROOT);
  }

  private static float speed(JsonNode voice) {
    JsonNode speed = voice == null ? null : voice.get("speed");
    if (speed == null || !speed.isNumber() || speed.floatValue() <= 0) {
      return 1f;
    }
    return Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed.floatValue()));
  }
}
