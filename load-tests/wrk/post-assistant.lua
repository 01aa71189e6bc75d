-- POST /assistant with a fully configured assistant, as a Vapi customer creates one.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[
{
  "name": "Riverside Dental front desk",
  "model": {
    "provider": "openai",
    "model": "gpt-4o",
    "temperature": 0.3,
    "maxTokens": 300,
    "messages": [
      {"role": "system", "content": "You are the front desk of Riverside Dental. Book, move or cancel appointments."}
    ]
  },
  "voice": {"provider": "11labs", "voiceId": "sarah", "stability": 0.5, "similarityBoost": 0.75},
  "transcriber": {"provider": "deepgram", "model": "nova-2", "language": "en-US"},
  "firstMessage": "Hello, Riverside Dental, how can I help?",
  "firstMessageMode": "assistant-speaks-first",
  "endCallPhrases": ["goodbye", "talk to you soon"],
  "endCallMessage": "Thanks for calling Riverside Dental. Goodbye!",
  "maxDurationSeconds": 900,
  "backgroundSound": "office",
  "startSpeakingPlan": {"waitSeconds": 0.4},
  "stopSpeakingPlan": {"numWords": 2, "voiceSeconds": 0.2, "backoffSeconds": 1},
  "serverMessages": ["end-of-call-report", "status-update", "tool-calls"],
  "metadata": {"clinic": "riverside", "source": "rest-bench"}
}
]]
