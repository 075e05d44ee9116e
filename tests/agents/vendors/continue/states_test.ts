/**
 * Continue CLI's states from its session document (`8da1a91f-….json`: a finished turn, then a call
 * `calling`), cut and changed as the document is rewritten.
 */
import assert from "node:assert/strict";
import { stateOf } from "../../../support/states.ts";
import { continueFacts } from "../../../../agents/vendors/continue/transcript.ts";

const doc = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../fixtures/continue/8da1a91f-5a13-48b6-a329-a7d32f558b3a.json", import.meta.url),
  ),
);
const withHistory = (n: number, status?: string) => {
  const history = structuredClone(doc.history.slice(0, n));
  if (status) history.at(-1).toolCallStates[0].status = status;
  return continueFacts({ ...doc, history })!;
};

Deno.test("continue states: generating, a call, the turn over, the next call, cancelled", () => {
  assert.deepEqual(stateOf(withHistory(0)), ["idle", null], "fresh: an empty history");
  assert.deepEqual(stateOf(withHistory(1)), ["busy", null], "the prompt");
  assert.equal(stateOf(withHistory(2))[0], "busy", "a call done, its answer not written yet");
  assert.deepEqual(stateOf(withHistory(3)), ["waiting", null], "an answer without calls");
  const [busy, tool] = stateOf(withHistory(5));
  assert.equal(busy, "busy");
  assert.notEqual(tool, null, "the call `calling`");
  assert.deepEqual(stateOf(withHistory(5, "canceled")), ["waiting", null], "Esc cancels the call");
});
