import assert from "node:assert/strict";
import { ClaudeUsage, DEDUP_WINDOW } from "../../../../agents/vendors/claude/usage.ts";
import { ClaudeSessionSource } from "../../../../agents/vendors/claude/sessions.ts";
import { emptyTokens, type TokenBuckets } from "../../../../agents/session.ts";

const out = (output: number, input = 1): TokenBuckets => ({ ...emptyTokens(), input, output });

Deno.test("claude usage: a response's copies count once, however many responses come between", () => {
  const u = new ClaudeUsage();
  const n = DEDUP_WINDOW * 4;
  for (let i = 0; i < n; i++) {
    for (let copy = 0; copy < 3; copy++) u.record("s", `m${i}`, `r${i}`, false, "opus", out(10), 1000 + i);
  }
  assert.deepEqual(u.total, out(10 * n, n));
  // Resumed: Claude Code writes old responses again, far from the first copies.
  for (let i = 0; i < 5; i++) u.record("s", `m${i}`, `r${i}`, false, "opus", out(10), 9000 + i);
  u.record("s", `m${n - 1}`, `r${n - 1}`, false, "opus", out(10), 9999);
  assert.deepEqual(u.total, out(10 * n, n));
  assert.equal(u.history().reduce((sum, m) => sum + m.requests, 0), n);
});

Deno.test("claude usage: within the window the copy with the most output still wins", () => {
  const u = new ClaudeUsage();
  u.record("s", "m1", "r1", false, "opus", out(3));
  for (let i = 0; i < DEDUP_WINDOW - 2; i++) u.record("s", `x${i}`, "r", false, "opus", out(0, 0));
  u.record("s", "m1", "r1", false, "opus", out(50));
  assert.equal(u.total.output, 50);
});

Deno.test("claude usage: a main copy after a settled sidechain copy takes its place; hasMainCopy remembers settled ones", () => {
  const u = new ClaudeUsage();
  u.record("sub", "m1", "r-side", true, "opus", out(7, 0));
  for (let i = 0; i < DEDUP_WINDOW * 2; i++) u.record("sub", `x${i}`, "r", true, "opus", out(0, 0));
  assert.equal(u.total.output, 7);
  u.record("main", "m1", "r-main", false, "opus", out(9, 0));
  assert.equal(u.total.output, 9);
  for (let i = 0; i < DEDUP_WINDOW * 2; i++) u.record("main", `y${i}`, "r", false, "opus", out(0, 0));
  assert.ok(u.hasMainCopy("m1"));
  u.record("sub", "m1", "r-side-2", true, "opus", out(11, 0)); // a replay of a settled main copy
  assert.equal(u.total.output, 9);
  u.removeSource("sub");
  assert.equal(u.total.output, 9);
  u.removeSource("main");
  assert.equal(u.total.output, 0);
  u.record("sub", "m1", "r-side-3", true, "opus", out(4, 0)); // no main copy left: counts
  assert.equal(u.source("sub").output, 4);
});

Deno.test("claude usage: removing a source forgets its settled responses, which count again when read again", () => {
  const u = new ClaudeUsage();
  const read = (source: string, from: number) => {
    for (let i = from; i < from + DEDUP_WINDOW * 2; i++) {
      u.record(source, `${source}${i}`, "r", false, "opus", out(1));
    }
  };
  read("a", 0);
  read("b", 0);
  u.removeSource("a");
  assert.deepEqual(u.total, out(DEDUP_WINDOW * 2, DEDUP_WINDOW * 2));
  read("a", 0);
  assert.deepEqual(u.total, out(DEDUP_WINDOW * 4, DEDUP_WINDOW * 4));
});

/** An assistant line of one content block of response `i`, as Claude Code writes it. */
function line(i: number, block: number): string {
  return JSON.stringify({
    type: "assistant",
    sessionId: "s1",
    requestId: `req_${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 24, 3, 0, i)).toISOString(),
    message: {
      id: `msg_${i}`,
      model: "claude-opus-4-8",
      content: [{ type: "text", text: block === 1 ? "y".repeat(5000) : `block ${block}` }],
      usage: {
        input_tokens: 2,
        output_tokens: 5,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 0,
      },
    },
  });
}

Deno.test("claude usage: copies split across reads of the file, and a history read, count once", () => {
  const dir = Deno.makeTempDirSync({ prefix: "agtop-claude-usage-" });
  try {
    const path = `${dir}/s1.jsonl`;
    const link = { path, id: "s1", linkedBy: "recent" as const };
    const n = DEDUP_WINDOW + 40;
    const first = Array.from({ length: n }, (_, i) => `${line(i, 0)}\n${line(i, 1)}\n`)
      .join("");
    Deno.writeTextFileSync(path, first + line(n, 0) + "\n");
    const live = new ClaudeSessionSource();
    assert.equal(live.read(link, Date.now())!.tokens.output, 5 * (n + 1));
    // The rest of the last response, and the first responses again (a resume), in the next read.
    Deno.writeTextFileSync(path, line(n, 1) + "\n" + line(0, 0) + "\n" + line(1, 2) + "\n", { append: true });
    const expected = {
      input: 2 * (n + 1),
      output: 5 * (n + 1),
      cacheRead: 100 * (n + 1),
      cacheWrite: 0,
      reasoning: 0,
    };
    assert.deepEqual(live.read(link, Date.now())!.tokens, expected);
    const history = new ClaudeSessionSource({ history: true }).read(link, Date.now())!;
    assert.deepEqual(history.tokens, expected);
    assert.equal(history.usageHistory!.reduce((sum, m) => sum + m.requests, 0), n + 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
