package dev.parley.call.audio;

/**
 * Turns 16-bit PCM byte chunks of any length into whole samples: a chunk's odd last byte waits
 * for the next chunk. One per stream; not thread-safe.
 */
public final class SampleAssembler {

  private int pendingByte = -1;

  public short[] next(byte[] chunk) {
    if (pendingByte < 0) {
      if (chunk.length % 2 == 1) {
        pendingByte = chunk[chunk.length - 1] & 0xff;
      }
      return Samples.fromBytes(chunk, 0, chunk.length & ~1);
    }
    if (chunk.length == 0) {
      return new short[0];
    }
    byte[] joined = new byte[chunk.length + 1];
    joined[0] = (byte) pendingByte;
    System.arraycopy(chunk, 0, joined, 1, chunk.length);
    pendingByte = -1;
    return next(joined);
  }
}
