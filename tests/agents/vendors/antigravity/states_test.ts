/**
 * Antigravity CLI's states from its transcript (`transcript_full.jsonl`), fed step by step.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { statesAfter } from "../../../support/states.ts";
import { AgyTranscript } from "../../../../agents/vendors/antigravity/transcript.ts";

Deno.test("antigravity states: generating, a command, its response, the turn over, the next command", () => {
  const lines = fixtureLines("antigravity", "transcript_full.jsonl");
  const states = statesAfter(() => new AgyTranscript(), lines, [0, 1, 2, 3, 4, 6]);
  assert.deepEqual(states.map(([s]) => s), ["idle", "busy", "busy", "busy", "waiting", "busy"]);
  assert.match(states[2][1] ?? "", /^run_command /);
  assert.equal(states[3][1], null);
});
