package dev.parley.call.providers.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The part of libpocketsphinx's C API (5prealpha) a streaming decoder needs, via JNA. */
interface PocketSphinxLibrary extends Library {

  /** The argument definitions {@code cmd_ln_init} parses a decoder configuration against. */
  Pointer ps_args();

  Pointer ps_init(Pointer config);

  int ps_start_utt(Pointer decoder);

  int ps_process_raw(Pointer decoder, short[] samples, NativeLong count, int noSearch, int fullUtterance);

  int ps_end_utt(Pointer decoder);

  /** The best hypothesis so far (owned by the decoder), or NULL. */
  String ps_get_hyp(Pointer decoder, IntByReference bestScore);

  int ps_free(Pointer decoder);

  /** libsphinxbase, where PocketSphinx's configuration lives. */
  interface SphinxBase extends Library {

    /** {@code arguments}: flag, value, flag, value..., then null. */
    Pointer cmd_ln_init(Pointer config, Pointer definitions, int strict, Object... arguments);

    int cmd_ln_free_r(Pointer config);

    /** Copies the live cepstral mean ({@code veclen} floats) into {@code mean}. */
    int cmn_live_get(Pointer cmn, float[] mean);

    /** Replaces the live cepstral mean and forgets the frames it was estimated from. */
    void cmn_live_set(Pointer cmn, float[] mean);

    /** Where all decoders of the process log; NULL turns logging off. */
    void err_set_logfp(Pointer file);

    /** Appends the log to {@code path}; 0 on success. */
    int err_set_logfile(String path);
  }
}
