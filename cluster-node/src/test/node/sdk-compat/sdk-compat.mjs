// Vapi's official server SDK (@vapi-ai/server-sdk, pinned in package.json) against a running
// Parley node: assistants, tools, squads and phone numbers through create, list, get, update and
// delete, checked field by field. The SDK does not validate responses, so every check is ours.
//
//   PARLEY_BASE_URL=http://127.0.0.1:8080 PARLEY_API_KEY=$(cat data/dev-api-key) node sdk-compat.mjs
//
// One line per step; the first mismatch prints what differed and exits 1.
import assert from "node:assert/strict";
import { VapiClient } from "@vapi-ai/server-sdk";
import { expectResource, step, stepsPassedSoFar } from "./expect.mjs";
import { lifecycle } from "./lifecycle.mjs";
import * as bodies from "./bodies.mjs";

const baseUrl = requiredEnv("PARLEY_BASE_URL");
const token = requiredEnv("PARLEY_API_KEY");
// no retries: the SDK would otherwise hide 5xx answers behind two silent retries
const vapi = new VapiClient({ token, baseUrl, maxRetries: 0, timeoutInSeconds: 30 });

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (PARLEY_BASE_URL=http://127.0.0.1:8080 PARLEY_API_KEY=<private key>)`);
    process.exit(2);
  }
  return value;
}

await lifecycle({
  label: "assistants",
  client: vapi.assistants,
  body: bodies.fullAssistant(),
  patch: bodies.assistantPatch(),
  update: (id, patch) => vapi.assistants.update({ id, ...patch }),
});

for (const [kind, body, patch] of [
  ["function", bodies.functionTool(), bodies.functionToolPatch()],
  ["endCall", bodies.endCallTool(), bodies.endCallToolPatch()],
]) {
  await lifecycle({
    label: `tools(${kind})`,
    client: vapi.tools,
    body,
    patch,
    // the SDK's tool update body carries the tool's type
    update: (id, changes) => vapi.tools.update({ id, body: { type: body.type, ...changes } }),
  });
}

const members = [];
for (const name of ["Reception", "Billing"]) {
  members.push(await step(`assistants.create squad member ${name}`, async () => {
    const body = bodies.memberAssistant(name);
    const created = await vapi.assistants.create(body);
    expectResource(`member ${name}`, created, body);
    return created;
  }));
}
await lifecycle({
  label: "squads",
  client: vapi.squads,
  body: bodies.squad(members[0].id, members[1].id),
  patch: bodies.squadPatch(members[0].id, members[1].id),
  update: (id, patch) => vapi.squads.update({ id, ...patch }),
});
for (const member of members) {
  await step(`assistants.delete squad member ${member.name}`, async () => {
    assert.equal((await vapi.assistants.delete({ id: member.id })).id, member.id);
  });
}

// the SDK has no credentials client: the BYO number's SIP trunk credential goes through plain HTTP
const trunk = await step("POST /credential byo-sip-trunk (plain fetch)", () => credential("POST", "", bodies.sipTrunkCredential(), 201));
for (const [kind, body, patch] of [
  ["byo-phone-number", bodies.byoPhoneNumber(trunk.id), bodies.phoneNumberPatch("Front desk (BYO)")],
  ["twilio", bodies.twilioPhoneNumber(), bodies.phoneNumberPatch("Front desk (Twilio)")],
]) {
  await lifecycle({
    label: `phoneNumbers(${kind})`,
    client: vapi.phoneNumbers,
    body,
    patch,
    // the SDK's phone number update body carries the provider
    update: (id, changes) => vapi.phoneNumbers.update({ id, body: { provider: body.provider, ...changes } }),
    // Vapi reports a number's state; ours may too
    serverMayAdd: ["status"],
    secrets: ["twilioAuthToken", "twilioApiSecret"],
  });
}
await step("DELETE /credential/{id} (plain fetch)", () => credential("DELETE", `/${trunk.id}`, undefined, 200));

console.log(`sdk-compat: ${stepsPassedSoFar()} passed, 0 failed`);

async function credential(method, suffix, body, expectedStatus) {
  const response = await fetch(new URL(`credential${suffix}`, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`), {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, expectedStatus, `${method} /credential${suffix}: ${text}`);
  const answer = JSON.parse(text);
  assert.equal(typeof answer.id, "string", `${method} /credential${suffix} answers the credential: ${text}`);
  return answer;
}
