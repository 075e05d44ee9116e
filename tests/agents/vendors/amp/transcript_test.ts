/**
 * Amp threads parsed from fixtures written here from the documented format (field names as Amp writes
 * them, values invented).
 */
import assert from "node:assert/strict";
import {
  ampThreadCwd,
  ampThreadFacts,
  ampToolArg,
  fileUriPath,
} from "../../../../agents/vendors/amp/transcript.ts";
import { assistant, bash, CREATED, thread, toolResult, user } from "../../../support/amp.ts";

Deno.test("amp: tokens per message, newest state, tools answered by finished runs", () => {
  const f = ampThreadFacts(thread([
    user(0, "run the tests"),
    assistant(1, [{ type: "text", text: "Running them." }, bash("tu1", "npm test")], {
      type: "complete",
      stopReason: "tool_use",
    }, [10, 50, 4000, 0]),
    toolResult(2, "tu1", "done", { output: "12 passing\n1 failing", exitCode: 1 }),
    assistant(3, [{ type: "thinking", thinking: "One fails." }, bash("tu2", "npm test -- --grep flaky")], {
      type: "complete",
      stopReason: "tool_use",
    }, [20, 60, 300, 4000]),
    toolResult(4, "tu2", "in-progress", null),
  ]))!;
  assert.equal(f.id, "T-019b9d03-62e3-772f-9780-3e637f90eaec");
  assert.equal(f.cwd, "/home/me/my app");
  assert.equal(f.title, "Fix the flaky test");
  assert.equal(f.model, "claude-sonnet-4-5-20250929");
  assert.equal(f.lastPrompt, "run the tests");
  assert.equal(f.turn, "working");
  assert.equal(f.stopReason, "tool_use");
  assert.deepEqual(f.currentTool, {
    name: "Bash",
    arg: "npm test -- --grep flaky",
    id: "tu2",
    startedAt: CREATED + 3500,
  });
  assert.deepEqual(f.tokens, { input: 30, output: 110, cacheRead: 4000, cacheWrite: 4300, reasoning: 0 });
  assert.equal(f.contextTokens, 4320);
  assert.equal(f.startedAt, CREATED);
  assert.equal(f.lastActivity, CREATED + 3500);
  assert.equal(f.costUsd, undefined, "credits are not dollars");
  assert.ok(f.activity.some((a) => a.kind === "result" && a.text === "12 passing"));
});

Deno.test("amp: a running response is working; end_turn and cancelled end the turn", () => {
  const running = ampThreadFacts(thread([user(0, "hi"), assistant(1, [], { type: "running" }, null)]))!;
  assert.equal(running.turn, "working");
  const done = ampThreadFacts(thread([
    user(0, "hi"),
    assistant(1, [{ type: "text", text: "Hello." }], { type: "complete", stopReason: "end_turn" }, [
      5,
      5,
      0,
      0,
    ]),
  ]))!;
  assert.equal(done.turn, "ended");
  const cancelled = ampThreadFacts(thread([
    user(0, "long job"),
    assistant(1, [bash("tu1", "sleep 600")], { type: "cancelled" }, null),
  ]))!;
  assert.equal(cancelled.turn, "ended");
  assert.equal(cancelled.currentTool, null);
  const fresh = ampThreadFacts(thread([]))!;
  assert.equal(fresh.turn, "unknown");
  assert.equal(fresh.title, "Fix the flaky test");
  assert.equal(ampThreadFacts({ id: "T-x" }), null);
  assert.equal(ampThreadFacts([1, 2]), null);
});

Deno.test("amp: older threads count the usage ledger, cache numbers from the messages", () => {
  const f = ampThreadFacts(thread([
    user(0, "hi"),
    assistant(1, [{ type: "text", text: "Hello." }], { type: "complete", stopReason: "end_turn" }, [
      7,
      9,
      100,
      200,
    ]),
  ], {
    usageLedger: {
      events: [
        {
          id: "u1",
          timestamp: "2026-11-24T09:00:02Z",
          model: "claude-sonnet-4-5",
          tokens: { input: 7, output: 9, total: 16 },
          credits: 3,
          toMessageId: 1,
        },
      ],
    },
  }))!;
  assert.deepEqual({ ...f.tokensByModel }, {
    "claude-sonnet-4-5": { input: 7, output: 9, cacheRead: 200, cacheWrite: 100, reasoning: 0 },
  });
});

Deno.test("amp: workspace paths and tool arguments", () => {
  assert.equal(fileUriPath("file:///home/me/a%23b"), "/home/me/a#b");
  assert.equal(fileUriPath("file://localhost/srv/x"), "/srv/x");
  assert.equal(fileUriPath("https://example.com"), null);
  assert.equal(
    ampThreadCwd({ env: { initial: { cwd: "/explicit", trees: [{ uri: "file:///tree" }] } } }),
    "/explicit",
  );
  assert.equal(ampThreadCwd({ env: {} }), null);
  assert.equal(ampToolArg({ path: "/a.ts", content: "…" }), "/a.ts");
  assert.equal(ampToolArg({ prompt: "review" }), "review");
});
