import assert from "node:assert/strict";
import { mcpTool, ToolCallLog } from "../../../agents/formats/tool_calls.ts";

Deno.test("tool call log: results pair by id, unknown results and repeated calls are ignored", () => {
  const log = new ToolCallLog();
  log.call("a", "Bash", 1000);
  log.call("b", "mcp__github__get_issue", 2000);
  log.call("a", "Edit", 3000);
  log.result("a", 4000, false);
  log.result("a", 5000, true);
  log.result("zzz", 6000, true);
  assert.deepEqual(log.records(), [
    { name: "Bash", server: null, startedAt: 1000, endedAt: 5000, answered: true, failed: true },
    { name: "get_issue", server: "github", startedAt: 2000, endedAt: null, answered: false, failed: false },
  ]);
  assert.equal(log.has("b"), true);
});

Deno.test("mcp tool names: mcp__server__tool only", () => {
  assert.deepEqual(mcpTool("mcp__my_server__do__it"), { server: "my_server", name: "do__it" });
  assert.equal(mcpTool("mcp_github_x"), null);
});
