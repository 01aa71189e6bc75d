package dev.parley.http.call;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.call.audio.MuLaw;
import dev.parley.call.audio.Pcm16;
import dev.parley.call.audio.Resampler;

/**
 * One connection's audio format ({@code transport.audioFormat}) and the conversions between it and
 * the platform's 16 kHz PCM. Stateful (the resamplers carry their filters across frames): one per
 * connection, one thread per direction.
 */
final class WireAudio {

  static final int MAX_FRAME_BYTES = 64 * 1024;

  private final boolean mulaw;
  private final int sampleRate;
  private final Resampler inbound;
  private final Resampler outbound;

  private WireAudio(boolean mulaw, int sampleRate) {
    this.mulaw = mulaw;
    this.sampleRate = sampleRate;
    this.inbound = sampleRate == Pcm16.SAMPLE_RATE ? null : new Resampler(sampleRate, Pcm16.SAMPLE_RATE);
    this.outbound = sampleRate == Pcm16.SAMPLE_RATE ? null : new Resampler(Pcm16.SAMPLE_RATE, sampleRate);
  }

  static WireAudio of(JsonNode transport) {
    JsonNode format = transport.path("audioFormat");
    boolean mulaw = "mulaw".equals(format.path("format").asText("pcm_s16le"));
    int rate = format.path("sampleRate").asInt(mulaw ? 8000 : Pcm16.SAMPLE_RATE);
    return new WireAudio(mulaw, rate);
  }

  /** Why a caller's binary frame cannot be audio of this format, or null when it can. */
  String problemWith(byte[] frame) {
    if (frame.length == 0) {
      return "Empty binary frame";
    }
    String container = ContainerSniffer.containerOf(frame);
    if (container != null) {
      return "Binary frames carry raw " + describe() + " audio; this frame looks like " + container;
    }
    if (!mulaw && frame.length % 2 != 0) {
      return "A pcm_s16le frame needs an even number of bytes (2 per sample); got " + frame.length;
    }
    return null;
  }

  byte[] toPlatform(byte[] frame) {
    byte[] pcm = mulaw ? MuLaw.decode(frame) : frame;
    return inbound == null ? pcm : inbound.process(pcm);
  }

  byte[] fromPlatform(byte[] pcm16k) {
    byte[] pcm = outbound == null ? pcm16k : outbound.process(pcm16k);
    return mulaw ? MuLaw.encode(pcm) : pcm;
  }

  String describe() {
    return (mulaw ? "mulaw" : "pcm_s16le") + " " + sampleRate + " Hz";
  }
}
