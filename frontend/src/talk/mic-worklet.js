// Runs on the audio thread of a 16 kHz AudioContext: turns the microphone's float samples into
// little-endian 16-bit PCM and posts one 20 ms frame (320 samples, 640 bytes) at a time.
const FRAME_SAMPLES = 320;

class PcmFrameProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) {
      return true;
    }
    for (let i = 0; i < channel.length; i++) {
      const sample = Math.max(-1, Math.min(1, channel[i]));
      this.frame.setInt16(this.filled * 2, sample < 0 ? sample * 0x8000 : sample * 0x7fff, true);
      if (++this.filled === FRAME_SAMPLES) {
        this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
        this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("pcm-frame-processor", PcmFrameProcessor);
