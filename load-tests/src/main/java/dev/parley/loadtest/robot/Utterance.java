package dev.parley.loadtest.robot;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** A stretch of assistant audio: consecutive frames with no gap or speech-update between them. */
public record Utterance(List<ReceivedFrame> frames) {

  public Utterance {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("an utterance has at least one frame");
    }
    frames = List.copyOf(frames);
  }

  public long firstFrameNanos() {
    return frames.get(0).atNanos();
  }

  public long lastFrameNanos() {
    return frames.get(frames.size() - 1).atNanos();
  }

  public int frameCount() {
    return frames.size();
  }

  public double audioMillis(WireFormat format) {
    return format.millisOf(frames.stream().mapToLong(ReceivedFrame::length).sum());
  }

  /** The audio as received (needs the robot to keep audio). */
  public byte[] wireBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ReceivedFrame frame : frames) {
      if (frame.bytes() == null) {
        throw new IllegalStateException("audio was not kept: RobotOptions.keepAudio(false)");
      }
      out.writeBytes(frame.bytes());
    }
    return out.toByteArray();
  }

  public byte[] pcm16k(WireFormat format) {
    return format.toPcm16k(wireBytes());
  }
}
