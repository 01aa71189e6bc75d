package dev.parley.loadtest.gatling;

import java.util.List;

import dev.parley.loadtest.bench.BenchSetup;
import dev.parley.loadtest.robot.CallerVoice;
import dev.parley.loadtest.robot.WireFormat;

/**
 * What the virtual callers say: the benchmarks' prompts spoken by flite ({@link CallerVoice}) as
 * 20 ms frames of 16 kHz pcm_s16le (640 bytes), the format the simulation asks for on POST /call,
 * and the silence frame a phone sends between turns. Synthesised once, before the load starts.
 */
final class CallerAudio {

  static final WireFormat FORMAT = WireFormat.PCM_16K;

  private final List<List<byte[]>> turns;
  private final byte[] silence = FORMAT.silenceFrame();

  CallerAudio(CallerVoice voice) {
    this.turns = BenchSetup.PROMPTS.stream().map(prompt -> FORMAT.toFrames(voice.pcm(prompt))).toList();
  }

  /** The frames of turn {@code turn} (the prompts repeat when a call has more turns than prompts). */
  List<byte[]> turn(int turn) {
    return turns.get(turn % turns.size());
  }

  byte[] silence() {
    return silence;
  }

  double secondsOfSpeech() {
    return turns.stream().mapToInt(List::size).sum() * (double) WireFormat.FRAME_MS / 1000 / turns.size();
  }
}
