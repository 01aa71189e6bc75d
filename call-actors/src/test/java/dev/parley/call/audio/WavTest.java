package dev.parley.call.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

  @Test
  void writesTheCanonicalHeaderAndReadsItBack(@TempDir Path dir) throws Exception {
    byte[] pcm = {1, 2, 3, 4, 5, 6};
    Path file = dir.resolve("a.wav");
    new Wav(8000, pcm).write(file);

    byte[] bytes = Files.readAllBytes(file);
    assertEquals(44 + pcm.length, bytes.length);
    ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(36 + pcm.length, header.getInt(4));
    assertEquals("WAVEfmt ", new String(bytes, 8, 8, StandardCharsets.US_ASCII));
    assertEquals(1, header.getShort(20));
    assertEquals(1, header.getShort(22));
    assertEquals(8000, header.getInt(24));
    assertEquals(16000, header.getInt(28));
    assertEquals(16, header.getShort(34));
    assertEquals("data", new String(bytes, 36, 4, StandardCharsets.US_ASCII));
    assertEquals(pcm.length, header.getInt(40));

    Wav read = Wav.read(file);
    assertEquals(8000, read.sampleRate());
    assertArrayEquals(pcm, read.pcm());
  }

  @Test
  void skipsOtherChunksAndMixesStereoToMono() {
    ByteBuffer file = ByteBuffer.allocate(12 + 8 + 16 + 8 + 4 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    file.put(ascii("RIFF")).putInt(file.capacity() - 8).put(ascii("WAVE"));
    file.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 2)
        .putInt(48000).putInt(48000 * 4).putShort((short) 4).putShort((short) 16);
    file.put(ascii("LIST")).putInt(4).put(ascii("INFO"));
    file.put(ascii("data")).putInt(8).putShort((short) 100).putShort((short) 300)
        .putShort((short) -2).putShort((short) -4);

    Wav read = Wav.read(file.array());
    assertEquals(48000, read.sampleRate());
    assertArrayEquals(Samples.toBytes(new short[] {200, -3}), read.pcm());
  }

  @Test
  void decodesMuLaw() {
    ByteBuffer file = ByteBuffer.allocate(12 + 8 + 16 + 8 + 2).order(ByteOrder.LITTLE_ENDIAN);
    file.put(ascii("RIFF")).putInt(file.capacity() - 8).put(ascii("WAVE"));
    file.put(ascii("fmt ")).putInt(16).putShort((short) 7).putShort((short) 1)
        .putInt(8000).putInt(8000).putShort((short) 1).putShort((short) 8);
    file.put(ascii("data")).putInt(2).put((byte) 0x80).put((byte) 0xFF);

    Wav read = Wav.read(file.array());
    assertEquals(8000, read.sampleRate());
    assertArrayEquals(Samples.toBytes(new short[] {32124, 0}), read.pcm());
  }

  @Test
  void rejectsWhatIsNotAWav() {
    assertThrows(IllegalArgumentException.class, () -> Wav.read("RIFX....WAVE".getBytes(StandardCharsets.US_ASCII)));
    assertThrows(IllegalArgumentException.class, () -> Wav.read(new byte[3]));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
