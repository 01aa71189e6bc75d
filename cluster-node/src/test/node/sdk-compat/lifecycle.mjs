// One resource's whole life through the SDK: create, list (eventually consistent, so polled),
// get, update, delete, and the 404 after it.
import assert from "node:assert/strict";
import { asShown, expectNotFound, expectPatched, expectResource, ids, pollUntil, step } from "./expect.mjs";

/**
 * @param label     e.g. "tools(function)"
 * @param client    the SDK's resource client (vapi.tools, ...)
 * @param body      the create body
 * @param patch     the fields a PATCH changes (null removes a field)
 * @param update    (id, patch) => the SDK's update call; its body shape differs per resource
 * @param serverMayAdd  fields the server may add besides id/orgId/createdAt/updatedAt
 * @param secrets   fields the server shows masked (see asShown)
 */
export async function lifecycle({ label, client, body, patch, update, serverMayAdd = [], secrets = [] }) {
  const created = await step(`${label}.create`, async () => {
    const answer = await client.create(body);
    expectResource(`${label}.create`, answer, asShown(body, secrets), serverMayAdd);
    return answer;
  });

  await step(`${label}.list limit=1 createdAtGe=<its createdAt> shows it`, async () => {
    const list = await pollUntil(`${label} listed`,
      () => client.list({ limit: 1, createdAtGe: created.createdAt }),
      (answer) => ids(answer).includes(created.id));
    assert.equal(list.length, 1, `${label}: limit=1 answered ${list.length} items`);
    assert.deepStrictEqual(list[0], created, `${label}: the listed item differs from the created one`);
  });

  await step(`${label}.list createdAtGt=<its createdAt> leaves it out`, async () => {
    const list = await client.list({ limit: 100, createdAtGt: created.createdAt });
    assert.ok(!ids(list).includes(created.id), `${label}: createdAtGt is strict, yet it was listed`);
    const before = await client.list({ limit: 100, createdAtLt: created.createdAt });
    assert.ok(!ids(before).includes(created.id), `${label}: createdAtLt is strict, yet it was listed`);
  });

  await step(`${label}.get`, async () => {
    assert.deepStrictEqual(await client.get({ id: created.id }), created, `${label}: get differs from create`);
  });

  const updated = await step(`${label}.update ${Object.keys(patch).join(", ")}`, async () => {
    const answer = await update(created.id, patch);
    expectPatched(`${label}.update`, answer, created, asShown(patch, secrets));
    assert.deepStrictEqual(await client.get({ id: created.id }), answer, `${label}: get after update`);
    return answer;
  });

  await step(`${label}.list updatedAtGe=<new updatedAt> shows the update`, async () => {
    const list = await pollUntil(`${label} update listed`,
      () => client.list({ limit: 100, updatedAtGe: updated.updatedAt }),
      (answer) => answer.some((item) => item.id === created.id && item.updatedAt === updated.updatedAt));
    assert.deepStrictEqual(list.find((item) => item.id === created.id), updated, `${label}: listed after update`);
  });

  await step(`${label}.delete`, async () => {
    assert.deepStrictEqual(await client.delete({ id: created.id }), updated, `${label}: delete answers the resource`);
  });

  await step(`${label}.get after delete is 404`, () => expectNotFound(`${label}.get`, () => client.get({ id: created.id })));

  await step(`${label}.list drops it`, () => pollUntil(`${label} gone from the list`,
    () => client.list({ limit: 100, createdAtGe: created.createdAt }),
    (answer) => !ids(answer).includes(created.id)));

  return updated;
}
