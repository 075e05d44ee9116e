/**
 * Codex's tool calls from a rollout in Codex 0.169's shapes: exit codes in the output text, an MCP
 * call ending in an error, a patch, a command that outlived its yielded output, an interrupted call.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { codexToolCalls } from "../../../../agents/vendors/codex/tools.ts";

const FIXTURE = new URL(
  "../../../fixtures/codex/rollout-2026-11-24T11-00-00-019a8b3c-9999-7aaa-8bbb-ccccdddd0002.jsonl",
  import.meta.url,
).pathname;

Deno.test("codex tools: function and custom tool calls, failures from exit codes and MCP errors", () => {
  const calls = codexToolCalls(FIXTURE);
  assert.deepEqual(
    callFacts(calls),
    [
      [null, "exec_command", 2000, false],
      [null, "exec_command", 1000, true],
      ["github", "search_issues", 1000, true],
      [null, "apply_patch", 500, false],
      // Yielded after 10 s; the command ended 30 s after the call.
      [null, "exec_command", 30_000, false],
      [null, "exec_command", null, false],
    ],
  );
  assert.equal(calls[0].startedAt, Date.parse("2026-11-24T11:00:01Z"));
});

Deno.test("codex tools: an MCP namespace names the server; older JSON outputs carry the exit code", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/rollout.jsonl`;
    const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, s)).toISOString();
    const lines = [
      {
        timestamp: at(1),
        type: "response_item",
        payload: {
          type: "function_call",
          name: "query",
          namespace: "mcp__db__",
          arguments: "{}",
          call_id: "c1",
        },
      },
      {
        timestamp: at(2),
        type: "response_item",
        payload: { type: "function_call_output", call_id: "c1", output: "[]" },
      },
      {
        timestamp: at(3),
        type: "response_item",
        payload: { type: "function_call", name: "shell", arguments: "{}", call_id: "c2" },
      },
      {
        timestamp: at(5),
        type: "response_item",
        payload: {
          type: "function_call_output",
          call_id: "c2",
          output: '{"output":"no","metadata":{"exit_code":1,"duration_seconds":1.2}}',
        },
      },
      {
        timestamp: at(6),
        type: "response_item",
        payload: { type: "function_call", name: "shell", arguments: "{}", call_id: "c3" },
      },
      {
        timestamp: at(7),
        type: "event_msg",
        payload: { type: "exec_command_end", call_id: "c3", exit_code: 127 },
      },
    ];
    Deno.writeTextFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n{broken\n");
    assert.deepEqual(codexToolCalls(path).map((c) => [c.server, c.name, c.failed]), [
      ["db", "query", false],
      [null, "shell", true],
      [null, "shell", true],
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("codex tools: a spawned subagent's rollout is read with its parent, in its folder or the next day's", () => {
  const fixtures = new URL("../../../fixtures/codex/", import.meta.url).pathname;
  const parent = "rollout-2026-11-24T03-29-12-019a8b3c-29d1-7a2e-9c1f-3b5d7e9f1a74.jsonl";
  const child = "rollout-2026-11-24T03-30-03-019a8b3c-4f00-7b11-8d22-aa33bb44cc55.jsonl";
  const own = [
    [null, "exec_command", 10_000, false],
    [null, "spawn_agent", 1000, false],
    [null, "exec_command", null, false],
  ];
  const childCalls = [[null, "exec_command", null, false]];
  assert.deepEqual(callFacts(codexToolCalls(`${fixtures}${parent}`)), [...own, ...childCalls]);
  const home = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${home}/sessions/2026/11/30`, { recursive: true });
    Deno.mkdirSync(`${home}/sessions/2026/12/01`, { recursive: true });
    Deno.copyFileSync(`${fixtures}${parent}`, `${home}/sessions/2026/11/30/${parent}`);
    Deno.copyFileSync(`${fixtures}${child}`, `${home}/sessions/2026/12/01/${child}`);
    assert.deepEqual(callFacts(codexToolCalls(`${home}/sessions/2026/11/30/${parent}`)), [
      ...own,
      ...childCalls,
    ]);
    Deno.removeSync(`${home}/sessions/2026/12/01/${child}`);
    assert.deepEqual(callFacts(codexToolCalls(`${home}/sessions/2026/11/30/${parent}`)), own);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
