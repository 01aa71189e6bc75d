// The call's audio in the browser: microphone -> 20 ms s16le frames, and assistant frames ->
// gapless playback. Both live in one 16 kHz AudioContext, the platform's own rate.
export const SAMPLE_RATE = 16000;
const JITTER_SECONDS = 0.06;

/** Starts the microphone; every 640-byte frame goes to onFrame. Returns a stop function. */
export async function startMicrophone(context, onFrame) {
  // Echo cancellation keeps the assistant's voice from the speakers out of the microphone (it
  // would barge in on itself); gain control and noise suppression are left to the platform's VAD.
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false },
  });
  await context.audioWorklet.addModule(new URL("./mic-worklet.js", import.meta.url));
  const source = context.createMediaStreamSource(stream);
  const framer = new AudioWorkletNode(context, "pcm-frame-processor", { numberOfOutputs: 1 });
  framer.port.onmessage = (event) => onFrame(event.data);
  source.connect(framer);
  // The framer outputs silence; connecting it keeps the graph pulling it on every engine.
  framer.connect(context.destination);
  return () => {
    framer.port.onmessage = null;
    source.disconnect();
    framer.disconnect();
    stream.getTracks().forEach((track) => track.stop());
  };
}

/** Plays 16 kHz s16le frames back to back, a short jitter buffer ahead of the clock. */
export class FramePlayer {
  constructor(context) {
    this.context = context;
    this.nextStart = 0;
    this.playing = new Map(); // source -> its end time on the context clock
    this.scheduledMs = 0;
    this.flushedMs = 0;
  }

  /** Schedules one frame; returns its duration in milliseconds. */
  play(arrayBuffer) {
    const view = new DataView(arrayBuffer);
    const samples = Math.floor(arrayBuffer.byteLength / 2);
    if (samples === 0) {
      return 0;
    }
    const buffer = this.context.createBuffer(1, samples, SAMPLE_RATE);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < samples; i++) {
      channel[i] = view.getInt16(i * 2, true) / 0x8000;
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const now = this.context.currentTime;
    if (this.nextStart < now) {
      this.nextStart = now + JITTER_SECONDS; // starting or starved: rebuild the cushion
    }
    source.start(this.nextStart);
    this.nextStart += buffer.duration;
    this.playing.set(source, this.nextStart);
    source.onended = () => this.playing.delete(source);
    const ms = buffer.duration * 1000;
    this.scheduledMs += ms;
    return ms;
  }

  /** Drops everything queued (the caller interrupted the assistant). */
  flush() {
    const now = this.context.currentTime;
    this.playing.forEach((end, source) => {
      this.flushedMs += Math.min(Math.max(0, end - now), source.buffer.duration) * 1000;
      source.stop();
    });
    this.playing.clear();
    this.nextStart = 0;
  }
}
