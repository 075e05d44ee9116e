/**
 * Factory Droid's tool calls from the session it wrote here (tests/fixtures/droid): a finished
 * `Execute` call and one still running.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { droidToolCalls } from "../../../../agents/vendors/droid/tools.ts";

const FIXTURE = new URL("../../../fixtures/droid/7468ca47-c088-4b64-a42e-3225bd87ed2c.jsonl", import.meta.url)
  .pathname;

Deno.test("droid tools: tool_use and tool_result blocks of its message entries", () => {
  assert.deepEqual(callFacts(droidToolCalls(FIXTURE)), [
    [null, "Execute", 49_824, false],
    [null, "Execute", null, false],
  ]);
});
