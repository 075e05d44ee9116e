/**
 * Qwen Code's tool calls from a chat in Qwen Code 0.15.10's shapes: a call answered, an MCP call whose
 * response carries an error, a call with no result yet.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { qwenToolCalls } from "../../../../agents/vendors/qwen/tools.ts";

const dir = new URL("../../../fixtures/qwen/", import.meta.url).pathname;

Deno.test("qwen tools: functionCall parts paired with functionResponse parts by id", () => {
  const calls = qwenToolCalls(`${dir}tools.jsonl`);
  assert.deepEqual(
    callFacts(calls),
    [
      [null, "run_shell_command", 5000, false],
      ["github", "search_issues", 500, true],
      [null, "read_file", null, false],
    ],
  );
});

Deno.test("qwen tools: a call the user refused is marked failed, as its response carries an error", () => {
  const calls = qwenToolCalls(`${dir}cancelled.jsonl`);
  assert.ok(calls.length >= 2);
  assert.equal(calls[0].failed, false);
  assert.ok(calls.some((c) => c.failed));
});
