// Browser test of /dashboard/talk.html: Debian Chromium (driven by playwright-core) speaks a WAV
// through its fake microphone to an assistant on a running node, and waits for a final user
// transcript and the assistant's whole answer to it (its final transcript comes once the answer has
// been spoken), then hangs up. Prints what it saw (after hanging up) as JSON; exits 1 when it did
// not get there.
//
//   PARLEY_URL=http://127.0.0.1:8080 PARLEY_PUBLIC_KEY=pk_... PARLEY_ASSISTANT_ID=... \
//   PARLEY_WAV=/abs/path/speech.wav node e2e/talk.e2e.mjs
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { chromium } from "playwright-core";

const TIMEOUT_MS = Number(process.env.PARLEY_E2E_TIMEOUT_MS ?? 60_000);

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name} (needed: PARLEY_URL, PARLEY_PUBLIC_KEY, PARLEY_ASSISTANT_ID, PARLEY_WAV)`);
    process.exit(2);
  }
  return value;
}

const base = required("PARLEY_URL").replace(/\/+$/, "");
const key = required("PARLEY_PUBLIC_KEY");
const assistantId = required("PARLEY_ASSISTANT_ID");
const wav = required("PARLEY_WAV");
const chromiumPath = process.env.PARLEY_CHROMIUM ?? "/usr/bin/chromium";
if (!isAbsolute(wav) || !existsSync(wav)) {
  console.error(`PARLEY_WAV must be an absolute path to an existing WAV file: ${wav}`);
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "parley-chromium-"));
const pageLog = [];
let context;
let result;
try {
  // launchPersistentContext is how playwright takes a --user-data-dir: a fresh one per run.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}%noloop`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on("console", (message) => pageLog.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => pageLog.push(`pageerror: ${error.message}`));
  const query = new URLSearchParams({ key, assistantId });
  await page.goto(`${base}/dashboard/talk.html?${query}`);
  await page.click("#call");
  let reached = true;
  try {
    await page.waitForFunction(() => {
      const call = window.parleyCall;
      const heard = call.transcripts.findIndex((t) => t.role === "user");
      return call.errors.length > 0 || call.socket === "closed" && call.status !== "idle" ||
        heard >= 0 && call.transcripts.slice(heard + 1).some((t) => t.role === "assistant");
    }, null, { timeout: TIMEOUT_MS, polling: 100 });
  } catch (timeout) {
    reached = false;
  }
  if (await page.evaluate(() => window.parleyCall.socket !== "closed")) {
    await page.click("#hangup");
    await page.waitForFunction(() => window.parleyCall.socket === "closed", null, { timeout: 10_000 })
      .catch(() => pageLog.push("the socket was still open 10 s after Hang up"));
  }
  const seen = await page.evaluate(() => ({ ...window.parleyCall, statusLine: document.getElementById("status").textContent }));
  result = {
    ok: reached && seen.errors.length === 0 && seen.assistantAudioMs > 0 && answered(seen.transcripts),
    userTranscripts: seen.transcripts.filter((t) => t.role === "user").map((t) => t.transcript),
    assistantTranscripts: seen.transcripts.filter((t) => t.role === "assistant").map((t) => t.transcript),
    assistantAudioMs: seen.assistantAudioMs,
    assistantAudioFlushedMs: seen.assistantAudioFlushedMs,
    sentAudioFrames: seen.sentAudioFrames,
    callId: seen.callId,
    status: seen.status,
    endedReason: seen.endedReason,
    errors: seen.errors,
    statusLine: seen.statusLine,
  };
  if (!result.ok) {
    result.failure = reached ? "the call failed or closed before it got there"
      : `no final user transcript answered by the assistant within ${TIMEOUT_MS} ms`;
    result.pageLog = pageLog;
  }
} catch (error) {
  result = { ok: false, failure: error.message.replace(/\u001b\[\d+m/g, ""), pageLog };
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
process.exit(result.ok ? 0 : 1);

// A final user transcript followed by a final assistant transcript: the caller was heard and answered.
function answered(transcripts) {
  const heard = transcripts.findIndex((t) => t.role === "user");
  return heard >= 0 && transcripts.slice(heard + 1).some((t) => t.role === "assistant");
}
