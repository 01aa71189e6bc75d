package dev.parley.call.providers.silero;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.pekko.actor.typed.ActorSystem;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import com.typesafe.config.Config;

import dev.parley.call.provider.VoiceActivityDetector;

/**
 * Voice activity with Silero VAD v5 (MIT) on ONNX Runtime: a speech probability per 32 ms frame
 * (512 samples at 16 kHz). One inference session serves every call (ONNX Runtime runs it from
 * many threads at once); each call's {@link SileroSession} carries its own recurrent state.
 */
public final class SileroVad implements VoiceActivityDetector {

  public static final String NAME = "parley-silero";
  static final String MODEL_RESOURCE = "dev/parley/call/providers/silero/silero_vad_v5.onnx";
  static final int FRAME_SAMPLES = 512;

  private final OrtEnvironment environment;
  private final OrtSession model;

  private SileroVad(OrtEnvironment environment, OrtSession model) {
    this.environment = environment;
    this.model = model;
  }

  /**
   * Loads the model ({@code parley.call-actors.providers.silero}) from {@code model-file} if set,
   * else from the classpath, where the build puts it. Blocking start-up work. Throws
   * {@link IllegalStateException} naming what is missing.
   */
  public static SileroVad create(ActorSystem<?> system) {
    Config config = system.settings().config().getConfig("parley.call-actors.providers.silero");
    byte[] model = modelBytes(config.getString("model-file"));
    try {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(config.getInt("intra-op-threads"));
      options.setInterOpNumThreads(1);
      OrtSession session = environment.createSession(model, options);
      system.getWhenTerminated().thenRun(() -> close(session));
      return new SileroVad(environment, session);
    } catch (OrtException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("ONNX Runtime could not load the Silero VAD model: " + e.getMessage(), e);
    }
  }

  @Override
  public int frameSamples() {
    return FRAME_SAMPLES;
  }

  @Override
  public Session open() {
    return new SileroSession(environment, model);
  }

  private static byte[] modelBytes(String file) {
    try {
      if (!file.isBlank()) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
          throw new IllegalStateException("Silero VAD model " + path + " (PARLEY_SILERO_MODEL) does not exist");
        }
        return Files.readAllBytes(path);
      }
      try (InputStream in = SileroVad.class.getClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("Silero VAD model " + MODEL_RESOURCE + " is not on the classpath: the"
              + " call-actors build fetches it from npm (@ricky0123/vad-web@0.0.31) in generate-resources; rebuild"
              + " with npm and the npm registry reachable, or set PARLEY_SILERO_MODEL to a silero_vad_v5.onnx file");
        }
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IllegalStateException("Silero VAD model could not be read: " + e.getMessage(), e);
    }
  }

  private static void close(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // the system is terminating; nothing is left to run the model
    }
  }
}
