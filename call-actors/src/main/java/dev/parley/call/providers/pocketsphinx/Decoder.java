package dev.parley.call.providers.pocketsphinx;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * One PocketSphinx decoder ({@code ps_decoder_t}): utterances one after another, fed raw 16 kHz
 * samples. Not thread-safe; a {@link DecoderPool} lends it to one recognition at a time.
 */
final class Decoder {

  private final PocketSphinxLibrary sphinx;
  private final Pointer decoder;
  private final CepstralMean mean;
  private boolean inUtterance;
  private boolean broken;

  /** {@code mean}: the decoder's cepstral mean, null if it could not be found. */
  Decoder(PocketSphinxLibrary sphinx, Pointer decoder, CepstralMean mean) {
    this.sphinx = sphinx;
    this.decoder = decoder;
    this.mean = mean;
  }

  /** Whether {@link #forgetCaller()} can reset what the decoder adapted to. */
  boolean forgetsCallers() {
    return mean != null;
  }

  /** Ends any open utterance and drops what it adapted to, ready for another caller. */
  void forgetCaller() {
    if (inUtterance) {
      end();
    }
    if (mean != null) {
      mean.reset();
    }
  }

  boolean inUtterance() {
    return inUtterance;
  }

  /** False after a native call failed: the pool drops it rather than lend it again. */
  boolean healthy() {
    return !broken;
  }

  void start() {
    check(sphinx.ps_start_utt(decoder), "ps_start_utt");
    inUtterance = true;
  }

  void process(short[] samples) {
    if (samples.length > 0) {
      check(sphinx.ps_process_raw(decoder, samples, new NativeLong(samples.length), 0, 0), "ps_process_raw");
    }
  }

  /** The current best hypothesis, "" when there is none. */
  String hypothesis() {
    String hypothesis = sphinx.ps_get_hyp(decoder, new IntByReference());
    return hypothesis == null ? "" : hypothesis.strip();
  }

  /** Ends the utterance; {@link #hypothesis()} is then final. */
  void end() {
    inUtterance = false;
    check(sphinx.ps_end_utt(decoder), "ps_end_utt");
  }

  void free() {
    sphinx.ps_free(decoder);
  }

  private void check(int result, String call) {
    if (result < 0) {
      broken = true;
      throw new IllegalStateException("PocketSphinx " + call + " failed (" + result + ")");
    }
  }
}
