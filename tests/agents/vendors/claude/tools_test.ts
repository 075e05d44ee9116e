/**
 * Claude Code's tool calls from a transcript written in Claude Code 2.1.197's shapes: failed calls
 * (`is_error`), a slow one, MCP calls, two calls of one response, one without a result, and a
 * subagent's call counted with its session.
 */
import assert from "node:assert/strict";
import { callFacts } from "../../../support/tool_calls.ts";
import { claudeToolCalls } from "../../../../agents/vendors/claude/tools.ts";
import { claude } from "../../../../agents/vendors/claude/mod.ts";

const FIXTURE = new URL("../../../fixtures/claude/tools.jsonl", import.meta.url).pathname;
const t = (s: string) => Date.parse(`2026-11-24T10:${s}Z`);

Deno.test("claude tools: calls paired with results by tool_use id, MCP names split, subagents included", async () => {
  const calls = claudeToolCalls(FIXTURE);
  assert.deepEqual(
    callFacts(calls),
    [
      [null, "Bash", 2000, false],
      [null, "Bash", 1000, true],
      ["github", "search_issues", 800, false],
      ["github", "get_issue", 2000, true],
      [null, "Bash", 120_000, false],
      [null, "Read", 200, false],
      [null, "Grep", null, false],
      [null, "Glob", 1000, false],
    ],
  );
  assert.equal(calls[0].startedAt, t("00:01"));
  assert.equal(calls[7].startedAt, t("00:20"));
  assert.equal(await claude.tools!().then((read) => read(FIXTURE).length), 8);
});

Deno.test("claude tools: a missing transcript has no calls", () => {
  assert.deepEqual(claudeToolCalls("/nonexistent/agtop/session.jsonl"), []);
});
