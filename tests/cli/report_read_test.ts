import assert from "node:assert/strict";
import { readHistoryInWorkers } from "../../cli/report_read.ts";
import { readHistory } from "../../agents/history/collect.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { writeClaude, writeCodex, writeQwen } from "../support/history.ts";
import { buildReport } from "../../agents/history/report.ts";
import { Calendar } from "../../agents/history/calendar.ts";
import { bundledTable } from "../../agents/pricing/table.ts";

const DAY_MS = 86_400_000;

/** Runs `fn` with HOME (which both threads read) pointing at a fresh history of three agents' sessions. */
async function withHome(fn: () => Promise<void>): Promise<void> {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-report-read-" }));
  const saved = Deno.env.get("HOME");
  try {
    const now = Date.now();
    for (let s = 0; s < 24; s++) {
      // Sizes differ by a factor of 40, so threads sharing one list cannot finish in step by chance.
      const responses = Array.from({ length: 1 + (s * 7) % 40 }, (_, i) => ({
        at: now - (s + 1) * DAY_MS + i * 60_000,
        model: i % 2 ? "claude-sonnet-4-5" : "claude-opus-4-5",
        input: s + i,
        output: 10 * i + 1,
        cacheRead: 100 * s,
      }));
      const id = `${String(s).padStart(8, "0")}-1111-4111-8111-111111111111`;
      const file = writeClaude(home, `/w/p${s % 5}`, id, responses, s % 4 === 0 ? responses.slice(0, 2) : []);
      Deno.writeTextFileSync(file, toolLines(id, s, now - (s + 1) * DAY_MS), { append: true });
      if (s % 3 === 0) {
        writeCodex(home, `/w/c${s}`, `019a8b3c-29d1-7a2e-9c1f-${String(s).padStart(12, "0")}`, responses);
      }
      if (s % 5 === 0) {
        writeQwen(home, `/w/q${s}`, `${String(s).padStart(8, "0")}-2222-4222-8222-222222222222`, responses);
      }
    }
    Deno.env.set("HOME", home);
    await fn();
  } finally {
    if (saved === undefined) Deno.env.delete("HOME");
    else Deno.env.set("HOME", saved);
    Deno.removeSync(home, { recursive: true });
  }
}

/** `n % 3 + 1` Bash calls (the last failed when `n` is odd), as Claude Code writes a call and its result. */
function toolLines(sessionId: string, n: number, at: number): string {
  let out = "";
  for (let i = 0; i <= n % 3; i++) {
    const id = `toolu_${n}_${i}`;
    const base = { sessionId, cwd: "/w", isSidechain: false };
    out += JSON.stringify({
      ...base,
      type: "assistant",
      timestamp: new Date(at + 100_000 + i * 10_000).toISOString(),
      message: {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "Bash", input: { command: "ls" } }],
      },
    }) + "\n";
    out += JSON.stringify({
      ...base,
      type: "user",
      timestamp: new Date(at + 102_000 + i * 10_000).toISOString(),
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: id,
          content: "x".repeat(3000),
          is_error: n % 2 === 1 && i === n % 3,
        }],
      },
    }) + "\n";
  }
  return out;
}

Deno.test("a history read on two threads finds what one thread finds, session by session, in order", async () => {
  await withHome(async () => {
    const now = Date.now();
    const opts = { vendors: VENDORS.filter((v) => v.sessions), since: now - 60 * DAY_MS, now };
    const heard: number[][] = [];
    const one = await readHistory(opts);
    const two = await readHistoryInWorkers(
      { ...opts, progress: (read, total) => heard.push([read, total]) },
      2,
    );
    assert.equal(one.sessions.length, 24 + 8 + 5);
    assert.deepEqual(
      two.sessions.map((h) => [h.vendor.id, h.session.path, h.session.tokens, h.session.usageHistory]),
      one.sessions.map((h) => [h.vendor.id, h.session.path, h.session.tokens, h.session.usageHistory]),
    );
    assert.deepEqual(two.unreadable, one.unreadable);
    assert.equal(two.notRead, one.notRead);
    // Progress counts both threads' sessions against the one list.
    assert.deepEqual(heard.at(-1), [37, 37]);
    assert.ok(heard.every(([read], i) => i === 0 || read >= heard[i - 1][0]));
  });
});

Deno.test("a history read with tool calls on two threads finds each session's calls as one thread does", async () => {
  await withHome(async () => {
    const now = Date.now();
    const opts = { vendors: VENDORS.filter((v) => v.sessions), since: now - 60 * DAY_MS, now, tools: true };
    const one = await readHistory(opts);
    const two = await readHistoryInWorkers(opts, 2);
    const calls = (h: typeof one) =>
      h.calls!.sessions.map((c) => [c.history.vendor.id, c.history.session.path, c.calls]);
    assert.deepEqual(calls(two), calls(one));
    // Every Claude and Codex session has a reader; Claude's carry 1 to 3 calls, the odd ones a failure.
    assert.equal(one.calls!.sessions.length, 24 + 8 + 5);
    const claude = one.calls!.sessions.filter((c) => c.history.vendor.id === "claude");
    assert.equal(claude.reduce((n, c) => n + c.calls.length, 0), 8 * (1 + 2 + 3));
    assert.equal(claude.reduce((n, c) => n + c.calls.filter((x) => x.failed).length, 0), 12);
  });
});

Deno.test("a usage report summed on two threads, each its own sessions, is the report of one thread's read", async () => {
  await withHome(async () => {
    const now = Date.now();
    const opts = { vendors: VENDORS.filter((v) => v.sessions), since: now - 60 * DAY_MS, now };
    const one = await readHistory(opts);
    for (const kind of ["daily", "sessions"] as const) {
      const sum = {
        kind,
        calendar: Calendar.local(),
        prices: bundledTable(),
        since: now - 30 * DAY_MS,
        until: null,
        breakdown: true,
      };
      const two = await readHistoryInWorkers({ ...opts, sum }, 2);
      assert.deepEqual(two.sessions, [], "summed where read, not handed over");
      const report = two.sums!.report({ now, unreadable: two.unreadable });
      assert.deepStrictEqual(report, buildReport(one.sessions, { ...sum, now, unreadable: one.unreadable }));
      assert.ok(report.rows.length > 0 && report.totals.sessions > 20, kind);
    }
  });
});
