package dev.parley.loadtest.robot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Resampler;
import dev.parley.call.audio.Wav;

/**
 * The robot's voice: caller turns as 16 kHz PCM, synthesised by Debian's {@code flite} command
 * ({@code flite -voice rms -t "text" -o file.wav}). Voices rms and kal16 are what PocketSphinx
 * understands best; 8 kHz voices (kal) are resampled. Results are cached per (voice, text) in
 * memory and as WAV files in a directory, so a benchmark synthesises each sentence once.
 */
public final class CallerVoice {

  public static final String DEFAULT_VOICE = "rms";
  /** A sample this loud (about -40 dBFS) is speech, not flite's trailing silence. */
  private static final int SPEECH_LEVEL = 300;
  private static final int KEEP_AFTER_SPEECH_BYTES = Pcm16.SAMPLE_RATE / 50 * 2;
  private static final long FLITE_TIMEOUT_SECONDS = 60;

  private final String flite;
  private final String voice;
  private final Path cacheDir;
  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

  /** {@code flite}: the command (on PATH or a path); {@code cacheDir}: where WAV files are kept. */
  public CallerVoice(String flite, String voice, Path cacheDir) {
    this.flite = flite;
    this.voice = voice;
    this.cacheDir = cacheDir;
  }

  /** The {@code flite} on PATH, caching under the temp directory. */
  public CallerVoice(String voice) {
    this("flite", voice, Path.of(System.getProperty("java.io.tmpdir"), "parley-caller-voice"));
  }

  public CallerVoice() {
    this(DEFAULT_VOICE);
  }

  public String voice() {
    return voice;
  }

  /**
   * {@code text} spoken in this voice, as 16 kHz mono PCM ending with the speech (flite's trailing
   * silence cut, 20 ms kept): a turn's last frame is then its last speech, where voice-to-voice
   * latency starts.
   */
  public byte[] pcm(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("nothing to say: the text is blank");
    }
    return endAtSpeech(cache.computeIfAbsent(text, this::load));
  }

  static byte[] endAtSpeech(byte[] pcm) {
    int end = 0;
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      if (Math.abs((short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8))) >= SPEECH_LEVEL) {
        end = i + 2;
      }
    }
    return java.util.Arrays.copyOf(pcm, Math.min(pcm.length, end + KEEP_AFTER_SPEECH_BYTES));
  }

  /** The cached WAV file of {@code text} (16 kHz), synthesising it first if needed. */
  public Path wavFile(String text) {
    pcm(text);
    return fileFor(text);
  }

  private byte[] load(String text) {
    Path file = fileFor(text);
    if (Files.isRegularFile(file)) {
      return Wav.read(file).pcm();
    }
    Wav wav = synthesise(text);
    try {
      Files.createDirectories(cacheDir);
      Path partial = Files.createTempFile(cacheDir, "voice", ".part");
      wav.write(partial);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not cache the caller voice in " + cacheDir, e);
    }
    return wav.pcm();
  }

  private Wav synthesise(String text) {
    try {
      Path raw = Files.createTempFile("parley-flite", ".wav");
      try {
        Process process = new ProcessBuilder(List.of(flite, "-voice", voice, "-t", text, "-o", raw.toString()))
            .redirectErrorStream(true).start();
        String output;
        if (!process.waitFor(FLITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("flite did not finish within " + FLITE_TIMEOUT_SECONDS + " s for: " + text);
        }
        output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 || Files.size(raw) == 0) {
          throw new IllegalStateException("flite -voice " + voice + " failed (exit " + process.exitValue() + "): " + output);
        }
        Wav wav = Wav.read(raw);
        return wav.sampleRate() == Pcm16.SAMPLE_RATE
            ? wav
            : new Wav(Pcm16.SAMPLE_RATE, new Resampler(wav.sampleRate(), Pcm16.SAMPLE_RATE).process(wav.pcm()));
      } finally {
        Files.deleteIfExists(raw);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run '" + flite + "' (Debian package flite): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running flite", e);
    }
  }

  private Path fileFor(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest((voice + "\n" + text).getBytes(StandardCharsets.UTF_8));
      return cacheDir.resolve(voice + "-" + HexFormat.of().formatHex(digest, 0, 12) + ".wav");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
