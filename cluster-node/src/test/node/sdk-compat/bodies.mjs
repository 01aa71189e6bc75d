// Request bodies as a Vapi customer writes them: realistic, fully configured, and valid against
// Vapi's create/update DTOs (except silenceTimeoutSeconds, which Vapi documents and serves but
// its OpenAPI file lacks).

const HOOK_URL = "https://hooks.example.com/vapi";

export function fullAssistant() {
  return {
    name: "Riverside Dental front desk",
    model: {
      provider: "openai",
      model: "gpt-4o",
      temperature: 0.3,
      maxTokens: 300,
      messages: [
        { role: "system", content: "You are the front desk of Riverside Dental. Book, move or cancel appointments." },
        { role: "assistant", content: "Hello, Riverside Dental, how can I help?" },
      ],
    },
    voice: { provider: "11labs", voiceId: "sarah", model: "eleven_turbo_v2_5", stability: 0.5, similarityBoost: 0.75 },
    transcriber: { provider: "deepgram", model: "nova-2", language: "en-US", smartFormat: true },
    firstMessage: "Hello, Riverside Dental, how can I help?",
    firstMessageMode: "assistant-speaks-first",
    endCallPhrases: ["goodbye", "talk to you soon"],
    endCallMessage: "Thanks for calling Riverside Dental. Goodbye!",
    voicemailMessage: "Hi, this is Riverside Dental returning your call. Please call us back.",
    maxDurationSeconds: 900,
    silenceTimeoutSeconds: 30,
    backgroundSound: "office",
    startSpeakingPlan: {
      waitSeconds: 0.4,
      transcriptionEndpointingPlan: { onPunctuationSeconds: 0.1, onNoPunctuationSeconds: 1.5, onNumberSeconds: 0.5 },
    },
    stopSpeakingPlan: { numWords: 2, voiceSeconds: 0.2, backoffSeconds: 1 },
    analysisPlan: {
      summaryPlan: { enabled: true, timeoutSeconds: 10 },
      successEvaluationPlan: { enabled: true, rubric: "PassFail" },
    },
    artifactPlan: { recordingEnabled: true, recordingFormat: "wav;l16", fullMessageHistoryEnabled: true },
    server: { url: HOOK_URL, timeoutSeconds: 20, headers: { "x-clinic": "riverside" } },
    serverMessages: ["end-of-call-report", "status-update", "tool-calls", "transcript"],
    clientMessages: ["transcript", "speech-update", "status-update", "conversation-update"],
    metadata: { clinic: "riverside", region: "north", tier: 2 },
  };
}

/** A few top-level fields; the null removes the voicemail message. */
export function assistantPatch() {
  return {
    name: "Riverside Dental after hours",
    firstMessage: "Riverside Dental, we are closed, but I can still book you in.",
    maxDurationSeconds: 600,
    voicemailMessage: null,
  };
}

export function memberAssistant(name) {
  return {
    name,
    model: { provider: "openai", model: "gpt-4o-mini", messages: [{ role: "system", content: `You are ${name}.` }] },
    voice: { provider: "openai", voiceId: "alloy" },
    firstMessage: `${name}, how can I help?`,
  };
}

export function functionTool() {
  return {
    type: "function",
    async: false,
    function: {
      name: "book_appointment",
      description: "Books a dental appointment",
      parameters: {
        type: "object",
        properties: {
          day: { type: "string", description: "ISO date of the appointment" },
          slot: { type: "string", enum: ["morning", "afternoon"] },
        },
        required: ["day"],
      },
    },
    messages: [
      { type: "request-start", content: "One moment while I check the calendar." },
      { type: "request-failed", content: "Sorry, the calendar is not answering." },
    ],
    server: { url: `${HOOK_URL}/tools`, timeoutSeconds: 10 },
  };
}

export function functionToolPatch() {
  return {
    function: { name: "book_appointment", description: "Books or moves a dental appointment" },
    async: true,
  };
}

export function endCallTool() {
  return { type: "endCall", messages: [{ type: "request-start", content: "Goodbye!" }] };
}

export function endCallToolPatch() {
  return { messages: [{ type: "request-start", content: "Thanks for calling, goodbye!" }] };
}

export function squad(firstId, secondId) {
  return {
    name: "Riverside reception",
    members: [
      {
        assistantId: firstId,
        assistantDestinations: [
          { type: "assistant", assistantName: "Billing", message: "Let me put you through to billing." },
        ],
      },
      { assistantId: secondId },
    ],
  };
}

/** A squad's update carries its members (the SDK requires them). */
export function squadPatch(firstId, secondId) {
  return { name: "Riverside billing first", members: [{ assistantId: secondId }, { assistantId: firstId }] };
}

export function sipTrunkCredential() {
  return { provider: "byo-sip-trunk", name: "Riverside PBX", gateways: [{ ip: "192.0.2.10" }] };
}

export function byoPhoneNumber(credentialId) {
  return {
    provider: "byo-phone-number",
    name: "Front desk",
    number: "+14155550100",
    numberE164CheckEnabled: true,
    credentialId,
  };
}

export function twilioPhoneNumber() {
  return {
    provider: "twilio",
    name: "Front desk",
    number: "+14155550101",
    twilioAccountSid: "AC00000000000000000000000000000000",
    twilioAuthToken: "0123456789abcdef0123456789abcdef",
    smsEnabled: false,
  };
}

export function phoneNumberPatch(name) {
  return { name, server: { url: `${HOOK_URL}/numbers` } };
}
