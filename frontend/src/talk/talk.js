// Talk to an assistant from the browser over the vapi.websocket call transport.
// window.parleyCall is the page's observable state, read by the browser test.
import { SAMPLE_RATE, startMicrophone, FramePlayer } from "./audio.js";

// Hanging up asks the server to end the call; its last messages (status-update ended,
// end-of-call-report) arrive before it closes. A browser drops messages once the page has
// called close(), so the page waits this long for the server before closing itself.
const HANG_UP_GRACE_MS = 3000;

const $ = (id) => document.getElementById(id);
let call = null;

function freshState() {
  return {
    status: "idle", socket: "closed", callId: null, endedReason: null, errors: [],
    transcripts: [], sentAudioFrames: 0, assistantAudioMs: 0, assistantAudioFlushedMs: 0,
  };
}
const state = (window.parleyCall = freshState());

const params = new URLSearchParams(location.search);
$("key").value = params.get("key") ?? "";
$("assistant").value = params.get("assistantId") ?? "";
$("call").addEventListener("click", () => startCall().catch((e) => fail(e.message ?? String(e))));
$("hangup").addEventListener("click", hangUp);

async function startCall() {
  Object.assign(state, freshState());
  $("transcript").replaceChildren();
  $("events").replaceChildren();
  showError("");
  const key = $("key").value.trim();
  const assistantId = $("assistant").value.trim();
  if (!key || !assistantId) {
    return fail("Enter a public key and an assistant id.");
  }
  setInCall(true);
  const context = new AudioContext({ sampleRate: SAMPLE_RATE }); // created within the click
  call = { context, player: new FramePlayer(context), socket: null, stopMic: null, partial: {} };
  setStatus("starting the microphone");
  call.stopMic = await startMicrophone(context, sendFrame);

  setStatus("creating the call");
  const created = await createCall(key, assistantId);
  if (!created) {
    return;
  }
  state.callId = created.id;
  state.status = created.status;
  setStatus(`call ${created.id}: connecting`);
  openSocket(created.transport.websocketCallUrl);
}

async function createCall(key, assistantId) {
  const response = await fetch("/call", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      assistantId,
      transport: {
        provider: "vapi.websocket",
        audioFormat: { format: "pcm_s16le", container: "raw", sampleRate: SAMPLE_RATE },
      },
    }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    fail(apiError(response, body));
    return null;
  }
  if (!body?.transport?.websocketCallUrl) {
    fail("The created call has no transport.websocketCallUrl.");
    return null;
  }
  return body;
}

function apiError(response, body) {
  const messages = Array.isArray(body?.message) ? body.message.join("; ") : body?.message;
  return `${body?.error ?? `${response.status} ${response.statusText}`}: ${messages ?? "no details"}`;
}

function openSocket(url) {
  const socket = new WebSocket(url); // carries ?token=<public key>: browsers cannot set headers here
  socket.binaryType = "arraybuffer";
  call.socket = socket;
  state.socket = "connecting";
  socket.addEventListener("open", () => {
    state.socket = "open";
    setStatus(`call ${state.callId}: connected, speak now`);
  });
  socket.addEventListener("message", (event) =>
    typeof event.data === "string" ? onMessage(event.data) : onAudio(event.data));
  socket.addEventListener("close", (event) => onClosed(event));
}

function sendFrame(frame) {
  if (call?.socket?.readyState === WebSocket.OPEN) {
    call.socket.send(frame);
    state.sentAudioFrames++;
  }
}

function onAudio(frame) {
  call.player.play(frame);
  state.assistantAudioMs = Math.round(call.player.scheduledMs);
}

function onMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return logEvent(`unreadable message: ${text.slice(0, 80)}`);
  }
  switch (message.type) {
    case "status-update":
      state.status = message.status;
      if (message.endedReason) {
        state.endedReason = message.endedReason;
      }
      setStatus(`call ${state.callId}: ${message.status}${message.endedReason ? ` (${message.endedReason})` : ""}`);
      break;
    case "speech-update":
      $("speech").textContent = `${message.role} speech ${message.status}`;
      break;
    case "transcript":
      showTranscript(message.role, message.transcriptType === "final", message.transcript ?? "");
      break;
    case "user-interrupted":
      call.player.flush();
      state.assistantAudioFlushedMs = Math.round(call.player.flushedMs);
      break;
    case "end-of-call-report":
      state.endedReason = message.endedReason ?? state.endedReason;
      break;
    case "error":
      state.errors.push(message.message);
      showError(message.message);
      break;
  }
  logEvent(summary(message));
}

function summary(message) {
  switch (message.type) {
    case "status-update": return `status-update: ${message.status}${message.endedReason ? ` ${message.endedReason}` : ""}`;
    case "speech-update": return `speech-update: ${message.role} ${message.status}`;
    case "transcript": return `transcript (${message.role}, ${message.transcriptType}): ${message.transcript}`;
    case "model-output": return `model-output: ${typeof message.output === "string" ? message.output : JSON.stringify(message.output)}`;
    case "conversation-update": return `conversation-update: ${message.messages?.length ?? 0} messages`;
    case "end-of-call-report": return `end-of-call-report: ${message.endedReason}`;
    case "error": return `error: ${message.message}`;
    default: return message.type ?? "message without a type";
  }
}

function showTranscript(role, isFinal, text) {
  let line = call.partial[role];
  if (!line) {
    line = document.createElement("p");
    line.className = `line ${role}`;
    $("transcript").append(line);
  }
  line.textContent = `${role}: ${text}`;
  line.classList.toggle("partial", !isFinal);
  if (isFinal) {
    delete call.partial[role];
    state.transcripts.push({ role, transcript: text });
  } else {
    call.partial[role] = line;
  }
}

function hangUp() {
  if (!call) {
    return;
  }
  stopMicrophone();
  const socket = call.socket;
  if (socket?.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "end-call" }));
    setStatus(`call ${state.callId}: hanging up`);
    setTimeout(() => socket.close(1000, "hung up"), HANG_UP_GRACE_MS);
  } else {
    socket?.close();
    finish();
  }
}

function onClosed(event) {
  state.socket = "closed";
  const why = state.endedReason
    ?? `connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ""})`;
  setStatus(`call ${state.callId}: ended, ${why}`);
  finish();
}

function stopMicrophone() {
  call?.stopMic?.();
  if (call) {
    call.stopMic = null;
  }
}

function finish() {
  if (!call) {
    return;
  }
  stopMicrophone();
  const { context, player } = call;
  const queuedSeconds = Math.max(0, player.nextStart - context.currentTime);
  setTimeout(() => context.close(), queuedSeconds * 1000 + 100); // let the last words play out
  call = null;
  setInCall(false);
}

function fail(message) {
  state.errors.push(message);
  showError(message);
  setStatus("not connected");
  if (call?.socket) {
    call.socket.close();
  }
  finish();
}

function setInCall(inCall) {
  $("call").disabled = inCall;
  $("hangup").disabled = !inCall;
}

function setStatus(text) {
  $("status").textContent = text;
}

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function logEvent(text) {
  const item = document.createElement("li");
  item.textContent = text;
  $("events").append(item);
}
