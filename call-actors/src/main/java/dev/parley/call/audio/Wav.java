package dev.parley.call.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A RIFF WAV file as mono 16-bit little-endian PCM and its sample rate. Reads 16-bit PCM (plain or
 * WAVE_FORMAT_EXTENSIBLE) and 8-bit mu-law, mixing several channels down to one; writes mono PCM.
 */
public record Wav(int sampleRate, byte[] pcm) {

  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_MULAW = 7;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int HEADER_BYTES = 44;

  public static Wav read(Path file) {
    try {
      return read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Wav read(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length < 12 || in.getInt(0) != tag("RIFF") || in.getInt(8) != tag("WAVE")) {
      throw new IllegalArgumentException("not a RIFF WAVE file");
    }
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    int at = 12;
    while (at + 8 <= file.length) {
      int id = in.getInt(at);
      int size = in.getInt(at + 4);
      int body = at + 8;
      int length = (int) Math.min(Integer.toUnsignedLong(size), file.length - body);
      if (id == tag("fmt ")) {
        format = in.getShort(body) & 0xffff;
        channels = in.getShort(body + 2);
        rate = in.getInt(body + 4);
        bits = in.getShort(body + 14);
        if (format == FORMAT_EXTENSIBLE && length >= 26) {
          format = in.getShort(body + 24) & 0xffff;
        }
      } else if (id == tag("data")) {
        if (format < 0) {
          throw new IllegalArgumentException("WAV data chunk before its fmt chunk");
        }
        return new Wav(rate, mono(decode(format, bits, file, body, length), channels));
      }
      at = body + length + (length & 1);
    }
    throw new IllegalArgumentException("WAV file without a data chunk");
  }

  /** The file's bytes: a 44-byte header and the PCM. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(tag("RIFF")).putInt(36 + pcm.length).putInt(tag("WAVE"));
    out.putInt(tag("fmt ")).putInt(16).putShort((short) FORMAT_PCM).putShort((short) 1);
    out.putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    out.putInt(tag("data")).putInt(pcm.length).put(pcm);
    return out.array();
  }

  public void write(Path file) {
    try {
      Files.write(file, toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] decode(int format, int bits, byte[] file, int offset, int length) {
    if (format == FORMAT_PCM && bits == 16) {
      byte[] pcm = new byte[length & ~1];
      System.arraycopy(file, offset, pcm, 0, pcm.length);
      return pcm;
    }
    if (format == FORMAT_MULAW && bits == 8) {
      byte[] mulaw = new byte[length];
      System.arraycopy(file, offset, mulaw, 0, length);
      return MuLaw.decode(mulaw);
    }
    throw new IllegalArgumentException("unsupported WAV encoding: format " + format + ", " + bits + " bits");
  }

  private static byte[] mono(byte[] pcm, int channels) {
    if (channels <= 1) {
      return pcm;
    }
    short[] interleaved = Samples.fromBytes(pcm);
    short[] mixed = new short[interleaved.length / channels];
    for (int frame = 0; frame < mixed.length; frame++) {
      int sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += interleaved[frame * channels + c];
      }
      mixed[frame] = Samples.clamp((double) sum / channels);
    }
    return Samples.toBytes(mixed);
  }

  private static int tag(String fourCc) {
    return fourCc.charAt(0) | fourCc.charAt(1) << 8 | fourCc.charAt(2) << 16 | fourCc.charAt(3) << 24;
  }
}
