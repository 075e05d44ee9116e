/**
 * Auggie's states from its session document (`inflight.json`, `done.json`; built from its bundle).
 */
import assert from "node:assert/strict";
import { stateOf } from "../../../support/states.ts";
import { auggieFacts } from "../../../../agents/vendors/auggie/transcript.ts";

const fixture = (name: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../../../fixtures/auggie/${name}`, import.meta.url)));

Deno.test("auggie states: a call in flight, then the turn over", () => {
  const [busy, tool] = stateOf(auggieFacts(fixture("inflight.json"))!);
  assert.equal(busy, "busy");
  assert.match(tool ?? "", /^launch-process /);
  assert.deepEqual(stateOf(auggieFacts(fixture("done.json"))!), ["waiting", null]);
});
