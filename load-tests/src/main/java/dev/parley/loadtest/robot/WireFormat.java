package dev.parley.loadtest.robot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.audio.MuLaw;
import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Resampler;

/**
 * The audio format on the call's socket, as a phone line would carry it: 20 ms frames of raw
 * pcm_s16le at 16 kHz (640 bytes) or G.711 mu-law at 8 kHz (160 bytes). Converts the platform's
 * 16 kHz PCM to and from frames of this format.
 */
public enum WireFormat {
  PCM_16K("pcm_s16le", 16_000, 640, (byte) 0),
  MULAW_8K("mulaw", 8_000, 160, MuLaw.encodeSample((short) 0));

  public static final int FRAME_MS = Pcm16.FRAME_MS;
  private static final int FILTER_DELAY_SAMPLES = 24;

  private final String vapiName;
  private final int sampleRate;
  private final int frameBytes;
  private final byte silenceByte;

  WireFormat(String vapiName, int sampleRate, int frameBytes, byte silenceByte) {
    this.vapiName = vapiName;
    this.sampleRate = sampleRate;
    this.frameBytes = frameBytes;
    this.silenceByte = silenceByte;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int frameBytes() {
    return frameBytes;
  }

  /** Milliseconds of audio in {@code bytes} of this format. */
  public double millisOf(long bytes) {
    return bytes * (double) FRAME_MS / frameBytes;
  }

  public byte[] silenceFrame() {
    byte[] frame = new byte[frameBytes];
    Arrays.fill(frame, silenceByte);
    return frame;
  }

  /** The {@code transport} object of {@code POST /call} for this format. */
  public ObjectNode transportJson() {
    ObjectNode transport = JsonNodeFactory.instance.objectNode().put("provider", "vapi.websocket");
    transport.putObject("audioFormat").put("format", vapiName).put("container", "raw").put("sampleRate", sampleRate);
    return transport;
  }

  /** 16 kHz PCM as whole frames of this format, the last one padded with silence. */
  public List<byte[]> toFrames(byte[] pcm16k) {
    byte[] wire = toWire(pcm16k);
    List<byte[]> frames = new ArrayList<>();
    for (int at = 0; at < wire.length; at += frameBytes) {
      byte[] frame = silenceFrame();
      System.arraycopy(wire, at, frame, 0, Math.min(frameBytes, wire.length - at));
      frames.add(frame);
    }
    return frames;
  }

  /**
   * A second of Gaussian white noise of {@code rms} (16-bit sample units, at 16 kHz) as frames of
   * this format: a line's hiss, the same second over and over. Seeded: every robot hisses alike.
   */
  public List<byte[]> lineNoiseFrames(double rms) {
    java.util.Random random = new java.util.Random(16_000);
    byte[] pcm = new byte[Pcm16.SAMPLE_RATE * 2];
    for (int i = 0; i < Pcm16.SAMPLE_RATE; i++) {
      int sample = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(random.nextGaussian() * rms)));
      pcm[2 * i] = (byte) sample;
      pcm[2 * i + 1] = (byte) (sample >> 8);
    }
    return toFrames(pcm);
  }

  /** Audio of this format (whole frames, concatenated) as 16 kHz PCM. */
  public byte[] toPcm16k(byte[] wire) {
    if (this == PCM_16K) {
      return wire;
    }
    return resampleWhole(MuLaw.decode(wire), sampleRate, Pcm16.SAMPLE_RATE);
  }

  private byte[] toWire(byte[] pcm16k) {
    if (this == PCM_16K) {
      return pcm16k;
    }
    return MuLaw.encode(resampleWhole(pcm16k, Pcm16.SAMPLE_RATE, sampleRate));
  }

  /**
   * Resamples all of {@code pcm}, not just what a stream would have ready: zeros pushed in after it
   * flush the filter, and the filter's delay (24 samples of the lower rate, see Resampler) is cut off.
   */
  private static byte[] resampleWhole(byte[] pcm, int fromRate, int toRate) {
    int lowerRate = Math.min(fromRate, toRate);
    int delayOut = FILTER_DELAY_SAMPLES * toRate / lowerRate;
    int padIn = FILTER_DELAY_SAMPLES * fromRate / lowerRate + 4;
    byte[] out = new Resampler(fromRate, toRate).process(Arrays.copyOf(pcm, pcm.length + 2 * padIn));
    int wanted = (int) ((long) pcm.length / 2 * toRate / fromRate) * 2;
    int from = Math.min(2 * delayOut, out.length);
    return Arrays.copyOfRange(out, from, Math.min(from + wanted, out.length));
  }
}
