/**
 * Codebuff's states from its chat document (`inflight.json`, `done.json`; built from its source).
 */
import assert from "node:assert/strict";
import { stateOf } from "../../../support/states.ts";
import { codebuffFacts } from "../../../../agents/vendors/codebuff/transcript.ts";

const fixture = (name: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../../../fixtures/codebuff/${name}`, import.meta.url)));

Deno.test("codebuff states: generating, subagents at work, the turn over", () => {
  const inflight = fixture("inflight.json");
  assert.deepEqual(stateOf(codebuffFacts(inflight.slice(0, 1))!), ["busy", null], "the prompt");
  assert.deepEqual(stateOf(codebuffFacts(inflight)!)[0], "subagents", "an agent block running");
  assert.deepEqual(stateOf(codebuffFacts(fixture("done.json"))!), ["waiting", null], "isComplete");
});
