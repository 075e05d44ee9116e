/**
 * oh-my-pi's states from what it wrote (`done.jsonl`: a bash call, then a `task` call), fed record by
 * record; its subagents' own states are in `subagents_test.ts`.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { statesAfter } from "../../../support/states.ts";
import { PiTranscript } from "../../../../agents/formats/pi_session.ts";

Deno.test("oh-my-pi states: fresh, generating, a tool, the turn over, a task call, over again", () => {
  const lines = fixtureLines("omp", "done.jsonl");
  const states = statesAfter(() => new PiTranscript(), lines, [5, 6, 8, 10, 11, 13, 15]);
  assert.deepEqual(states.map(([s]) => s), ["idle", "busy", "busy", "waiting", "busy", "busy", "waiting"]);
  assert.match(states[2][1] ?? "", /^bash /, "the bash call in flight");
  assert.match(states[5][1] ?? "", /^task/, "the task call in flight");
});
