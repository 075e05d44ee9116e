/**
 * Gemini CLI's tool calls from a chat in Gemini CLI 0.61's shapes: the message written again with its
 * finished `toolCalls`, an MCP call known by its display name, a failed one.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { geminiToolCalls, mcpName } from "../../../../agents/vendors/gemini/tools.ts";

const FIXTURE = new URL("../../../fixtures/gemini/tools.jsonl", import.meta.url).pathname;

Deno.test("gemini tools: the newest copy of a message gives its calls, from the response to the result", () => {
  const calls = geminiToolCalls(FIXTURE);
  assert.deepEqual(callFacts(calls), [
    [null, "run_shell_command", 4000, false],
    ["github", "search_issues", 1000, true],
  ]);
});

Deno.test("gemini tools: MCP servers from a qualified name or the display name", () => {
  assert.deepEqual(mcpName("github__search_issues", "search_issues (github MCP Server)"), {
    server: "github",
    name: "search_issues",
  });
  assert.deepEqual(mcpName("db__query", ""), { server: "db", name: "query" });
  assert.equal(mcpName("read_file", "ReadFile"), null);
});
