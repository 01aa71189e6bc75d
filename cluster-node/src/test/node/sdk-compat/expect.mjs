// Assertions and polling shared by the SDK compatibility steps. Plain node:assert: a failed step
// prints what differed and ends the run.
import assert from "node:assert/strict";

export const SERVER_FIELDS = ["id", "orgId", "createdAt", "updatedAt"];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

let stepsPassed = 0;

/** Runs one named step; prints one line; on any failure prints why and exits 1. */
export async function step(name, action) {
  const started = Date.now();
  try {
    const result = await action();
    stepsPassed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
    return result;
  } catch (error) {
    console.error(`FAIL ${name}\n${describe(error)}`);
    process.exit(1);
  }
}

export function stepsPassedSoFar() {
  return stepsPassed;
}

function describe(error) {
  if (error?.statusCode !== undefined) {
    return `HTTP ${error.statusCode}: ${JSON.stringify(error.body)}`;
  }
  return error?.stack ?? String(error);
}

/**
 * A resource as the API answers it: exactly the fields that were sent (nulls dropped) plus the
 * server's id, orgId, createdAt and updatedAt, plus any of `serverMayAdd`.
 */
export function expectResource(label, actual, sent, serverMayAdd = []) {
  assert.equal(typeof actual, "object", `${label}: expected an object, got ${JSON.stringify(actual)}`);
  for (const field of ["id", "orgId"]) {
    assert.equal(typeof actual[field], "string", `${label}.${field} must be a string`);
    assert.ok(actual[field].length > 0, `${label}.${field} must not be empty`);
  }
  for (const field of ["createdAt", "updatedAt"]) {
    assert.match(String(actual[field]), ISO_8601, `${label}.${field} must be an ISO-8601 date-time`);
  }
  assert.ok(Date.parse(actual.updatedAt) >= Date.parse(actual.createdAt),
    `${label}: updatedAt ${actual.updatedAt} is before createdAt ${actual.createdAt}`);
  for (const [field, value] of Object.entries(sent)) {
    if (value === null) {
      assert.ok(!(field in actual), `${label}.${field} was set to null and must be gone, got ${JSON.stringify(actual[field])}`);
    } else {
      assert.deepStrictEqual(actual[field], value, `${label}.${field} differs from what was sent`);
    }
  }
  const expected = new Set([...Object.keys(sent).filter((f) => sent[f] !== null), ...SERVER_FIELDS, ...serverMayAdd]);
  const unexpected = Object.keys(actual).filter((field) => !expected.has(field));
  assert.deepStrictEqual(unexpected, [], `${label} has fields nobody sent`);
}

/**
 * A body as the API shows it back: the values of `secrets` (at any depth) masked as "****" plus
 * their last four characters, so people can tell keys apart without reading them.
 */
export function asShown(body, secrets) {
  if (Array.isArray(body)) {
    return body.map((item) => asShown(item, secrets));
  }
  if (body === null || typeof body !== "object") {
    return body;
  }
  return Object.fromEntries(Object.entries(body).map(([field, value]) => [field,
    secrets.includes(field) && typeof value === "string"
      ? `****${value.length > 8 ? value.slice(-4) : ""}`
      : asShown(value, secrets)]));
}

/** What a PATCH must leave: `before` with `patch` applied (null removes), id/orgId/createdAt kept. */
export function expectPatched(label, after, before, patch) {
  const expected = { ...before };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) {
      delete expected[field];
    } else {
      expected[field] = value;
    }
  }
  const { updatedAt: _ignored, ...expectedWithoutUpdatedAt } = expected;
  const { updatedAt, ...actualWithoutUpdatedAt } = after;
  assert.deepStrictEqual(actualWithoutUpdatedAt, expectedWithoutUpdatedAt, `${label}: fields after PATCH`);
  assert.match(String(updatedAt), ISO_8601, `${label}.updatedAt must be an ISO-8601 date-time`);
  assert.ok(Date.parse(updatedAt) >= Date.parse(before.updatedAt),
    `${label}: updatedAt went backwards (${before.updatedAt} -> ${updatedAt})`);
}

/** Calls `read` until `done(result)` holds or `withinMs` passes; answers the last result. */
export async function pollUntil(what, read, done, withinMs = 15_000) {
  const deadline = Date.now() + withinMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) {
      assert.fail(`${what}: not so within ${withinMs} ms; last answer: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

/** The call must reject with a 404 in the API's error format. */
export async function expectNotFound(label, call) {
  let answer;
  try {
    answer = await call();
  } catch (error) {
    assert.equal(error.statusCode, 404, `${label}: expected 404, got ${describe(error)}`);
    assert.equal(error.body?.statusCode, 404, `${label}: error body ${JSON.stringify(error.body)}`);
    assert.equal(error.body?.error, "Not Found", `${label}: error body ${JSON.stringify(error.body)}`);
    assert.ok(Array.isArray(error.body?.message), `${label}: error message must be an array`);
    return;
  }
  assert.fail(`${label}: expected a 404 rejection, got ${JSON.stringify(answer)}`);
}

export function ids(list) {
  assert.ok(Array.isArray(list), `a list must be a JSON array, got ${JSON.stringify(list)}`);
  return list.map((item) => item.id);
}
