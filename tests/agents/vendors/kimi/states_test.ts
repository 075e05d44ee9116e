/**
 * Kimi Code's states from what it wrote (`main.wire.jsonl`: two Bash calls, then an `Agent` call),
 * fed record by record.
 */
import assert from "node:assert/strict";
import { fixtureLines } from "../../../support/fixtures.ts";
import { statesAfter } from "../../../support/states.ts";
import { KimiTranscript } from "../../../../agents/vendors/kimi/transcript.ts";

Deno.test("kimi states: fresh, generating, a tool, the result, the turn over, a subagent", () => {
  const lines = fixtureLines("kimi", "main.wire.jsonl");
  const at = (type: string, from = 0) =>
    from + lines.slice(from).findIndex((l) => l.includes(`"type":"${type}"`)) + 1;
  const prompt = at("turn.prompt");
  const call = at("tool.call");
  const spawned = at("subagent.spawned");
  const states = statesAfter(() => new KimiTranscript(), lines, [
    prompt - 1,
    prompt,
    call,
    at("tool.result"),
    at("turn.ended"),
    spawned,
    at("subagent.completed"),
  ]);
  assert.deepEqual(states.map(([s]) => s), ["idle", "busy", "busy", "busy", "waiting", "subagents", "busy"]);
  assert.match(states[2][1] ?? "", /^Bash sleep 30/);
});
