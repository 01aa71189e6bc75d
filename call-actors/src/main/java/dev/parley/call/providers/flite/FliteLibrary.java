package dev.parley.call.providers.flite;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The part of libflite's C API that synthesising one utterance needs (flite 2.2, via JNA). */
interface FliteLibrary extends Library {

  int flite_init();

  Pointer new_utterance();

  int utt_set_input_text(Pointer utterance, String text);

  /** Copies the voice's features into the utterance and runs the voice's init hook. */
  Pointer utt_init(Pointer utterance, Pointer voice);

  /** Text analysis and waveform synthesis; NULL on failure (the utterance is still the caller's). */
  Pointer utt_synth(Pointer utterance);

  /** The utterance's {@code cst_wave}, owned by the utterance. */
  Pointer utt_wave(Pointer utterance);

  void delete_utterance(Pointer utterance);

  void feat_set_float(Pointer features, String name, float value);

  /** {@code cst_utterance.features} is its first field. */
  static Pointer features(Pointer utterance) {
    return utterance.getPointer(0);
  }

  /**
   * Reads a {@code cst_wave} ({@code const char *type; int sample_rate; int num_samples;
   * int num_channels; short *samples;}): its first channel and its rate.
   */
  static Wave wave(Pointer wave) {
    int p = Native.POINTER_SIZE;
    int sampleRate = wave.getInt(p);
    int numSamples = wave.getInt(p + 4);
    int channels = Math.max(1, wave.getInt(p + 8));
    int samplesAt = (p + 12 + p - 1) / p * p;
    Pointer samples = wave.getPointer(samplesAt);
    short[] interleaved = numSamples == 0 || samples == null ? new short[0]
        : samples.getShortArray(0, numSamples * channels);
    if (channels == 1) {
      return new Wave(sampleRate, interleaved);
    }
    short[] mono = new short[numSamples];
    for (int i = 0; i < numSamples; i++) {
      mono[i] = interleaved[i * channels];
    }
    return new Wave(sampleRate, mono);
  }

  record Wave(int sampleRate, short[] samples) {}
}
