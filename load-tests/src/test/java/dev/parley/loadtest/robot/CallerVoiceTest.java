package dev.parley.loadtest.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Wav;

/** Caller turns synthesised by the flite command, as 16 kHz PCM, cached per voice and text. */
class CallerVoiceTest {

  private static final String SENTENCE = "What is the weather like today?";

  @TempDir
  Path cache;

  @Test
  void aSentenceIsAFewSecondsOf16KilohertzSpeechCachedAsAWavFile() throws Exception {
    CallerVoice voice = new CallerVoice("flite", "rms", cache);

    byte[] pcm = voice.pcm(SENTENCE);
    Path file = voice.wavFile(SENTENCE);

    double seconds = pcm.length / 2.0 / Pcm16.SAMPLE_RATE;
    assertTrue(seconds > 1 && seconds < 5, "a six-word sentence lasted " + seconds + " s");
    Wav cached = Wav.read(file);
    assertEquals(16_000, cached.sampleRate());
    byte[] whole = cached.pcm();
    assertArrayEquals(pcm, java.util.Arrays.copyOf(whole, pcm.length), "the speech, from the start of the file");
    assertTrue(whole.length - pcm.length > 0, "flite's trailing silence is cut");
    assertArrayEquals(pcm, new CallerVoice("no-such-flite", "rms", cache).pcm(SENTENCE), "read back from the cache");
    assertEquals(1, Files.list(cache).count());
  }

  @Test
  void an8KilohertzVoiceIsResampledTo16Kilohertz() {
    byte[] rms = new CallerVoice("flite", "rms", cache).pcm(SENTENCE);
    byte[] kal = new CallerVoice("flite", "kal", cache).pcm(SENTENCE);

    double seconds = kal.length / 2.0 / Pcm16.SAMPLE_RATE;
    assertTrue(seconds > 1 && seconds < 5, "kal at 16 kHz lasted " + seconds + " s (rms: " + rms.length / 32_000.0 + " s)");
  }

  @Test
  void aMissingFliteCommandFailsClearly() {
    IllegalStateException failure = assertThrows(IllegalStateException.class,
        () -> new CallerVoice("no-such-flite", "rms", cache).pcm("Hello."));

    assertTrue(failure.getMessage().contains("could not run 'no-such-flite'"), failure.getMessage());
  }
}
