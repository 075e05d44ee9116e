/**
 * Factory Droid's states from what it wrote (`7468ca47-….jsonl`), fed record by record.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { statesAfter } from "../../../support/states.ts";
import { DroidTranscript } from "../../../../agents/vendors/droid/transcript.ts";

Deno.test("droid states: fresh, generating, a tool, the result, the turn over, the next tool", () => {
  const lines = fixtureLines("droid", "7468ca47-c088-4b64-a42e-3225bd87ed2c.jsonl");
  const states = statesAfter(() => new DroidTranscript(), lines, [1, 3, 4, 5, 7, 9]);
  assert.deepEqual(states.map(([s]) => s), ["idle", "busy", "busy", "busy", "waiting", "busy"]);
  assert.equal(states[0][1], null, "session_start only");
  assert.notEqual(states[2][1], null, "the tool_use without its result");
  assert.equal(states[3][1], null, "answered: the model goes on");
});
