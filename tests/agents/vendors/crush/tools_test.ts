/**
 * Crush's tool calls from a project database created here with node:sqlite from the documented
 * schema: an ok call, a failed one (`is_error`), one without a result, an MCP server's tool, and the
 * calls of an agent tool's subagent session counted in its parent.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { crushMcpTool, crushToolCalls } from "../../../../agents/vendors/crush/tools.ts";
import { callFacts } from "../../../support/tool_calls.ts";
import { tempDir } from "../../../support/sessions.ts";
import { call, CRUSH_SCHEMA, crushMessage, crushSession } from "../../../support/crush.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const result = (id: string, name: string, content: string, isError: boolean) => ({
  type: "tool_result",
  data: { tool_call_id: id, name, content, is_error: isError },
});

Deno.test("crush tools: tool_call and tool_result parts by id, is_error, no result, MCP, subagent session", async () => {
  const root = await tempDir();
  try {
    const path = `${root}/api/.crush/crush.db`;
    Deno.mkdirSync(`${root}/api/.crush`, { recursive: true });
    const db = new DatabaseSync(path);
    db.exec(CRUSH_SCHEMA);
    crushSession(db, "s1", {});
    crushSession(db, "m2$$call_a", { parent: "s1" });
    crushSession(db, "s2", {});
    crushMessage(db, "m1", "s1", "user", [{ type: "text", data: { text: "why does CI fail?" } }], at(0));
    crushMessage(db, "m2", "s1", "assistant", [
      call("call_a", "agent", { prompt: "find the failing test" }),
      call("call_b", "bash", { command: "go test ./..." }),
      call("call_c", "mcp_github_search_issues", { query: "flaky" }),
    ], at(1));
    crushMessage(db, "m3", "s1", "tool", [
      result("call_b", "bash", "FAIL", true),
      result("call_c", "mcp_github_search_issues", "[]", false),
    ], at(4));
    crushMessage(
      db,
      "sub1",
      "m2$$call_a",
      "assistant",
      [call("call_d", "grep", { pattern: "t.Skip" })],
      at(2),
    );
    crushMessage(db, "sub2", "m2$$call_a", "tool", [result("call_d", "grep", "x_test.go", false)], at(3));
    crushMessage(db, "m4", "s1", "tool", [result("call_a", "agent", "found it", false)], at(9));
    crushMessage(db, "m5", "s1", "assistant", [{
      type: "tool_call",
      data: { id: "call_e", name: "edit", input: "{}", finished: false },
    }], at(10));
    crushMessage(db, "m6", "s2", "assistant", [call("call_x", "bash", { command: "ls" })], at(11));
    db.close();

    const calls = crushToolCalls(`${path}#s1`);
    assert.deepEqual(callFacts(calls), [
      [null, "agent", 8000, false],
      [null, "bash", 3000, true],
      ["github", "search_issues", 3000, false],
      [null, "edit", null, false],
      [null, "grep", 1000, false],
    ]);
    assert.deepEqual(calls.map((c) => c.answered), [true, true, true, false, true]);
    assert.deepEqual([calls[1].startedAt, calls[1].endedAt], [at(1), at(4)]);
    assert.deepEqual([calls[3].startedAt, calls[3].endedAt], [at(10), null]);
    assert.throws(() => crushToolCalls(`${root}/missing/.crush/crush.db#s1`), /not a readable database/);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("crush tools: MCP tools are mcp_<server>_<tool>", () => {
  assert.deepEqual(crushMcpTool("mcp_github_search_issues"), { server: "github", name: "search_issues" });
  assert.deepEqual(crushMcpTool("mcp_context7_get-library-docs"), {
    server: "context7",
    name: "get-library-docs",
  });
  assert.equal(crushMcpTool("bash"), null);
});
