package dev.parley.call.providers.pocketsphinx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.javadsl.Flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Pointer;
import com.typesafe.config.Config;

import dev.parley.call.provider.SpeechToText;
import dev.parley.call.provider.SttInput;
import dev.parley.call.provider.Transcript;
import dev.parley.call.providers.NativeLibraries;
import dev.parley.call.providers.SerialExecutor;

/**
 * Speech-to-text with PocketSphinx 5prealpha in-process (Debian {@code libpocketsphinx3} and the
 * US English model of {@code pocketsphinx-en-us}). Each call's stream borrows a decoder from a
 * bounded pool and decodes on the speech dispatcher; transcripts are lowercase words as
 * PocketSphinx gives them.
 */
public final class PocketSphinxSpeechToText implements SpeechToText {

  public static final String NAME = "parley-pocketsphinx";
  static final String INSTALL = "apt-get install libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us";

  /** Logging is process-wide in sphinxbase; decoders initialise one at a time to be safe with it. */
  private static final Object NATIVE = new Object();
  private static final AtomicBoolean LOGGING_SET = new AtomicBoolean();

  private final DecoderPool pool;
  private final String dispatcher;

  private PocketSphinxSpeechToText(DecoderPool pool, String dispatcher) {
    this.pool = pool;
    this.dispatcher = dispatcher;
  }

  /**
   * Loads the libraries, checks the model ({@code parley.call-actors.providers.pocketsphinx}) and
   * starts warming decoders in the background. Throws {@link IllegalStateException} naming what is
   * missing.
   */
  public static PocketSphinxSpeechToText create(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("parley.call-actors.providers.pocketsphinx");
    // initialising is a one-off blocking second, not per-frame work: it stays off the speech dispatcher
    Executor initialisation = new SerialExecutor(system.dispatchers().lookup(DispatcherSelector.blocking()));
    DecoderPool pool = new DecoderPool(decoders(config), config.getInt("max-decoders"), initialisation,
        config.getDuration("acquire-timeout"));
    pool.warm(config.getInt("warm-decoders"));
    system.getWhenTerminated().thenRun(pool::close);
    return new PocketSphinxSpeechToText(pool, NativeLibraries.speechDispatcher(system));
  }

  /** Recognition on decoders from {@code pool}, run on the dispatcher named {@code dispatcher}. */
  static PocketSphinxSpeechToText of(DecoderPool pool, String dispatcher) {
    return new PocketSphinxSpeechToText(pool, dispatcher);
  }

  /** Checks the model and loads the libraries; the result initialises one decoder per call (slow). */
  static Supplier<Decoder> decoders(Config config) {
    Path modelDir = Path.of(config.getString("model-dir"));
    Path hmm = existing(modelDir.resolve(config.getString("hmm")));
    Path lm = existing(modelDir.resolve(config.getString("lm")));
    Path dict = existing(modelDir.resolve(config.getString("dict")));
    PocketSphinxLibrary.SphinxBase base = NativeLibraries.load(config.getString("sphinxbase-library"),
        PocketSphinxLibrary.SphinxBase.class, INSTALL);
    PocketSphinxLibrary sphinx = NativeLibraries.load(config.getString("library"), PocketSphinxLibrary.class, INSTALL);
    setLogging(base, config.getString("log-file"));
    List<String> flags = new ArrayList<>(List.of("-hmm", hmm.toString(), "-lm", lm.toString(), "-dict", dict.toString()));
    flags.addAll(config.getStringList("flags"));
    String[] arguments = flags.toArray(String[]::new);
    return () -> newDecoder(sphinx, base, arguments);
  }

  @Override
  public Flow<SttInput, Transcript, NotUsed> open(JsonNode transcriber) {
    return Flow.fromGraph(new RecognitionStage(pool)).async(dispatcher);
  }

  private static Decoder newDecoder(PocketSphinxLibrary sphinx, PocketSphinxLibrary.SphinxBase base,
      String[] arguments) {
    Object[] varargs = new Object[arguments.length + 1];
    System.arraycopy(arguments, 0, varargs, 0, arguments.length);
    synchronized (NATIVE) {
      Pointer config = base.cmd_ln_init(null, sphinx.ps_args(), 1, varargs);
      if (config == null) {
        throw new IllegalStateException("PocketSphinx rejected its configuration " + String.join(" ", arguments));
      }
      try {
        Pointer decoder = sphinx.ps_init(config);
        if (decoder == null) {
          throw new IllegalStateException("PocketSphinx could not initialise a decoder with "
              + String.join(" ", arguments) + "; reinstall the model: " + INSTALL);
        }
        return new Decoder(sphinx, decoder, CepstralMean.of(base, decoder, config));
      } finally {
        base.cmd_ln_free_r(config);
      }
    }
  }

  private static void setLogging(PocketSphinxLibrary.SphinxBase base, String logFile) {
    if (!LOGGING_SET.compareAndSet(false, true)) {
      return;
    }
    synchronized (NATIVE) {
      if (logFile.isBlank()) {
        base.err_set_logfp(null);
      } else if (base.err_set_logfile(logFile) != 0) {
        throw new IllegalStateException("PocketSphinx cannot append its log to " + logFile
            + " (parley.call-actors.providers.pocketsphinx.log-file)");
      }
    }
  }

  private static Path existing(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException("PocketSphinx model file " + path + " is missing. Install the US English model"
          + " with: apt-get install pocketsphinx-en-us (or set parley.call-actors.providers.pocketsphinx.model-dir"
          + " / PARLEY_POCKETSPHINX_MODEL_DIR)");
    }
    return path;
  }
}
