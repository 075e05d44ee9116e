/**
 * Copilot CLI's tool calls from `events.jsonl` in Copilot 1.0.102's shapes: a failed command, an MCP
 * call naming its server, a call still running.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { copilotToolCalls } from "../../../../agents/vendors/copilot/tools.ts";

const FIXTURE = new URL("../../../fixtures/copilot/tools-events.jsonl", import.meta.url).pathname;

Deno.test("copilot tools: execution start and complete events by toolCallId; MCP calls under their server", () => {
  assert.deepEqual(
    callFacts(copilotToolCalls(FIXTURE)),
    [
      [null, "bash", 2000, true],
      ["github-mcp-server", "list_issues", 250, false],
      [null, "edit", null, false],
    ],
  );
});
