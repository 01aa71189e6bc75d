package dev.parley.loadtest.robot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.parley.call.audio.MuLaw;

/** 16 kHz PCM to wire frames and back. */
class RobotWireFormatTest {

  @Test
  void pcmFramesAre640BytesWithTheLastPaddedWithSilence() {
    byte[] pcm = Tones.sine(500, 50, 4_000);

    List<byte[]> frames = WireFormat.PCM_16K.toFrames(pcm);

    assertEquals(3, frames.size());
    assertTrue(frames.stream().allMatch(f -> f.length == 640));
    assertArrayEquals(Arrays.copyOfRange(pcm, 640, 1280), frames.get(1));
    assertArrayEquals(new byte[320], Arrays.copyOfRange(frames.get(2), 320, 640));
  }

  @Test
  void mulawFramesCarry20MillisecondsAt8KilohertzAndDecodeToTheSameSound() {
    byte[] pcm = Tones.sine(1_000, 1_000, 8_000);

    List<byte[]> frames = WireFormat.MULAW_8K.toFrames(pcm);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    frames.forEach(wire::writeBytes);
    byte[] back = WireFormat.MULAW_8K.toPcm16k(wire.toByteArray());

    assertEquals(50, frames.size());
    assertTrue(frames.stream().allMatch(f -> f.length == 160));
    assertEquals(pcm.length, back.length);
    assertEquals(WireFormat.MULAW_8K.silenceFrame()[0], MuLaw.encodeSample((short) 0));
    // after an 8 kHz round trip a 1 kHz tone is the same tone, up to mu-law's steps and the
    // resampler's half-sample delay (8 -> 16 kHz)
    double error = 0;
    for (int i = 200; i < back.length / 2 - 200; i++) {
      error = Math.max(error, Math.abs(sample(back, i) - sample(pcm, i)));
    }
    assertTrue(error < 2_000, "largest difference " + error);
  }

  @Test
  void lineNoiseIsASecondOfHissOfTheAskedLoudness() {
    List<byte[]> frames = WireFormat.PCM_16K.lineNoiseFrames(30);

    assertEquals(50, frames.size());
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    frames.forEach(wire::writeBytes);
    byte[] pcm = wire.toByteArray();
    double sum = 0;
    int peak = 0;
    for (int i = 0; i < pcm.length / 2; i++) {
      sum += (double) sample(pcm, i) * sample(pcm, i);
      peak = Math.max(peak, Math.abs(sample(pcm, i)));
    }
    double rms = Math.sqrt(sum / (pcm.length / 2));
    assertTrue(Math.abs(rms - 30) < 1.5, "rms " + rms);
    // above the 64 the node treats as digital silence
    assertTrue(peak > 64, "peak " + peak);
    assertArrayEquals(frames.get(7), WireFormat.PCM_16K.lineNoiseFrames(30).get(7), "every robot hisses alike");
  }

  private static int sample(byte[] pcm, int i) {
    return (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
  }
}
