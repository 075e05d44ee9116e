/**
 * pi's states from what pi 0.73.1 wrote (`inflight.jsonl`, `done.jsonl`), fed record by record.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { statesAfter } from "../../../support/states.ts";
import { PiTranscript } from "../../../../agents/formats/pi_session.ts";

Deno.test("pi states: fresh, generating, a tool, the result, the turn over", () => {
  const lines = fixtureLines("pi", "done.jsonl");
  const [fresh, generating, tool, result, over] = statesAfter(() => new PiTranscript(), lines, [
    3,
    4,
    5,
    6,
    7,
  ]);
  assert.deepEqual(fresh, ["idle", null], "session header, model and thinking level only");
  assert.deepEqual(generating, ["busy", null], "the prompt");
  assert.equal(tool[0], "busy");
  assert.match(tool[1] ?? "", /^bash /);
  assert.deepEqual(result, ["busy", null], "the result: the model goes on");
  assert.deepEqual(over, ["waiting", null], "stopReason stop");
});

Deno.test("pi states: an aborted answer ends the turn: waiting", () => {
  const lines = fixtureLines("pi", "inflight.jsonl");
  const aborted = JSON.parse(lines[4]);
  aborted.message.content = aborted.message.content.filter((b: { type: string }) => b.type === "text");
  aborted.message.stopReason = "aborted";
  const [state] = statesAfter(() => new PiTranscript(), [...lines.slice(0, 4), JSON.stringify(aborted)], [5]);
  assert.deepEqual(state, ["waiting", null]);
});
