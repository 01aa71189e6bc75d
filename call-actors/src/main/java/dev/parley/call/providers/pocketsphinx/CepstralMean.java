package dev.parley.call.providers.pocketsphinx;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A decoder's live cepstral mean normalisation, which adapts to the channel and voice it hears and
 * carries over from one utterance to the next. A pooled decoder must forget the previous caller:
 * otherwise a new caller's first sentence is normalised by someone else's mean (a flite kal16
 * sentence after rms ones went from 0% to 80% word errors). PocketSphinx 5prealpha exports no call
 * for it, so the {@code cmn_t} is found through the structs (ps_decoder_t.acmod -> acmod_t.fcb ->
 * feat_t.cmn_struct) and every step is checked; when a check fails the mean is left alone.
 */
final class CepstralMean {

  private static final int CEPSTRA = 13;

  private final PocketSphinxLibrary.SphinxBase base;
  private final Pointer cmn;
  private final float[] initial = new float[CEPSTRA];

  private CepstralMean(PocketSphinxLibrary.SphinxBase base, Pointer cmn) {
    this.base = base;
    this.cmn = cmn;
    base.cmn_live_get(cmn, initial);
  }

  /** The mean of a freshly initialised {@code decoder} made from {@code config}, or null if not found. */
  static CepstralMean of(PocketSphinxLibrary.SphinxBase base, Pointer decoder, Pointer config) {
    int p = Native.POINTER_SIZE;
    if (p != 8 || !config.equals(decoder.getPointer(0))) {
      return null;
    }
    // ps_decoder_t { cmd_ln_t *config; int refcount; acmod_t *acmod; ... }
    Pointer acmod = decoder.getPointer(2L * p);
    // acmod_t { cmd_ln_t *config; logmath_t *lmath; glist_t strings; fe_t *fe; feat_t *fcb; ... }
    if (acmod == null || !config.equals(acmod.getPointer(0))) {
      return null;
    }
    Pointer feat = acmod.getPointer(4L * p);
    // feat_t { int refcount; char *name; int32 cepsize; ...; compute_feat; cmn_t *cmn_struct; ... }
    if (feat == null || feat.getInt(2L * p) != CEPSTRA) {
      return null;
    }
    Pointer cmn = feat.getPointer(11L * p);
    // cmn_t { mfcc_t *cmn_mean; mfcc_t *cmn_var; mfcc_t *sum; int32 nframe; int32 veclen; }
    if (cmn == null || cmn.getInt(3L * p + 4) != CEPSTRA) {
      return null;
    }
    return new CepstralMean(base, cmn);
  }

  /** Back to the mean the model started with. */
  void reset() {
    base.cmn_live_set(cmn, initial.clone());
  }
}
