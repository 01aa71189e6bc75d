package dev.parley.call.live;

import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.util.ByteString;

/** Re-cuts audio chunks of any size into frames of one size; the last frame is padded with silence. */
final class Reframer {

  private final int frameBytes;
  private ByteString pending = ByteString.emptyByteString();

  Reframer(int frameBytes) {
    this.frameBytes = frameBytes;
  }

  List<ByteString> frames(ByteString chunk) {
    pending = pending.concat(chunk);
    List<ByteString> frames = new ArrayList<>();
    while (pending.size() >= frameBytes) {
      frames.add(pending.take(frameBytes).compact());
      pending = pending.drop(frameBytes);
    }
    return frames;
  }

  List<ByteString> rest() {
    if (pending.isEmpty()) {
      return List.of();
    }
    byte[] frame = new byte[frameBytes];
    pending.copyToArray(frame, 0, pending.size());
    pending = ByteString.emptyByteString();
    return List.of(ByteString.fromArrayUnsafe(frame));
  }
}
