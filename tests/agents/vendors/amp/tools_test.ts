/**
 * Amp's tool calls from a thread document written here from the documented format: an ok call, an
 * MCP call that failed, calls rejected by the user and cancelled, one still running, and a result
 * whose message records no time.
 */
import assert from "node:assert/strict";
import { ampToolCalls } from "../../../../agents/vendors/amp/tools.ts";
import { callFacts } from "../../../support/tool_calls.ts";
import { assistant, bash, CREATED, thread, toolResult, user } from "../../../support/amp.ts";

/** A tool result message sent `i` seconds after the thread was created. */
const sent = (i: number, id: string, status: string, result: unknown) => ({
  ...toolResult(i, id, status, result),
  meta: { sentAt: CREATED + i * 1000 },
});
const toolUse = { stopReason: "tool_use", type: "complete" };

Deno.test("amp tools: tool_use and tool_result blocks by id, run status, MCP names, times", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/T-019b9d03-62e3-772f-9780-3e637f90eaec.json`;
    Deno.writeTextFileSync(
      path,
      JSON.stringify(thread([
        user(0, "why does the test fail?"),
        assistant(
          1,
          [
            bash("t1", "npm test"),
            { type: "tool_use", id: "t2", name: "mcp__github__search_issues", input: { query: "flaky" } },
          ],
          toolUse,
          [10, 5, 0, 0],
        ),
        sent(2, "t1", "done", { output: "1 failing", exitCode: 1 }),
        sent(3, "t2", "error", null),
        assistant(4, [bash("t3", "rm -rf dist"), bash("t4", "npm ci"), bash("t5", "npm run e2e")], toolUse, [
          10,
          5,
          0,
          0,
        ]),
        toolResult(5, "t3", "rejected-by-user", null),
        sent(6, "t4", "cancelled", null),
        sent(7, "t5", "in-progress", null),
      ])),
    );
    const calls = ampToolCalls(path);
    assert.deepEqual(callFacts(calls), [
      [null, "Bash", 500, false],
      ["github", "search_issues", 1500, true],
      [null, "Bash", null, true],
      [null, "Bash", 1500, true],
      [null, "Bash", null, false],
    ]);
    assert.deepEqual(calls.map((c) => c.answered), [true, true, true, true, false]);
    assert.deepEqual([calls[0].startedAt, calls[0].endedAt], [CREATED + 1500, CREATED + 2000]);
    // Rejected: answered and failed, but its result's message records no time.
    assert.deepEqual([calls[2].startedAt, calls[2].endedAt], [CREATED + 4500, null]);
    Deno.writeTextFileSync(`${dir}/broken.json`, '{"messages": [');
    assert.throws(() => ampToolCalls(`${dir}/broken.json`), /not a readable thread document/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
