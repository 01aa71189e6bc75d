package dev.parley.call.providers.silero;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.provider.VoiceActivityDetector;

/**
 * One call's Silero state: the model's recurrent state (2 x 1 x 128) and the last 64 samples of
 * the previous frame, which v5 expects in front of each 512-sample frame. Not thread-safe.
 */
final class SileroSession implements VoiceActivityDetector.Session {

  static final int CONTEXT_SAMPLES = 64;
  private static final long[] INPUT_SHAPE = {1, CONTEXT_SAMPLES + SileroVad.FRAME_SAMPLES};
  private static final long[] STATE_SHAPE = {2, 1, 128};
  private static final long[] RATE_SHAPE = {1};

  private final OrtEnvironment environment;
  private final OrtSession model;
  private final float[] input = new float[CONTEXT_SAMPLES + SileroVad.FRAME_SAMPLES];
  private float[] state = new float[2 * 128];

  SileroSession(OrtEnvironment environment, OrtSession model) {
    this.environment = environment;
    this.model = model;
  }

  @Override
  public float speechProbability(short[] frame) {
    if (frame.length != SileroVad.FRAME_SAMPLES) {
      throw new IllegalArgumentException("Silero takes frames of " + SileroVad.FRAME_SAMPLES + " samples, not "
          + frame.length);
    }
    System.arraycopy(input, SileroVad.FRAME_SAMPLES, input, 0, CONTEXT_SAMPLES);
    for (int i = 0; i < frame.length; i++) {
      input[CONTEXT_SAMPLES + i] = frame[i] / 32768f;
    }
    try (OnnxTensor audio = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), INPUT_SHAPE);
        OnnxTensor recurrent = OnnxTensor.createTensor(environment, FloatBuffer.wrap(state), STATE_SHAPE);
        OnnxTensor rate = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[] {Pcm16.SAMPLE_RATE}),
            RATE_SHAPE);
        OrtSession.Result result = model.run(Map.of("input", audio, "state", recurrent, "sr", rate))) {
      float probability = ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
      FloatBuffer next = ((OnnxTensor) result.get(1)).getFloatBuffer();
      float[] nextState = new float[state.length];
      next.get(nextState);
      state = nextState;
      return probability;
    } catch (OrtException e) {
      throw new IllegalStateException("Silero VAD inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    // nothing native is held between frames
  }
}
