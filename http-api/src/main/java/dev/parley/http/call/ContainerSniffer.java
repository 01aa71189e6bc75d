package dev.parley.http.call;

import java.nio.charset.StandardCharsets;

/** Recognises the files and text that callers send by mistake where raw audio belongs. */
final class ContainerSniffer {

  private ContainerSniffer() {}

  /** The container or kind of data the frame starts with, or null for anything that may be raw audio. */
  static String containerOf(byte[] frame) {
    if (startsWith(frame, "RIFF")) {
      return "a WAV (RIFF) file; strip the header and send the samples";
    }
    if (startsWith(frame, "OggS")) {
      return "an Ogg file";
    }
    if (startsWith(frame, "ID3")) {
      return "an MP3 file";
    }
    if (startsWith(frame, "fLaC")) {
      return "a FLAC file";
    }
    if (startsWith(frame, "{\"")) {
      return "JSON; send control messages as text frames";
    }
    return null;
  }

  private static boolean startsWith(byte[] frame, String magic) {
    byte[] bytes = magic.getBytes(StandardCharsets.US_ASCII);
    if (frame.length < bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (frame[i] != bytes[i]) {
        return false;
      }
    }
    return true;
  }
}
