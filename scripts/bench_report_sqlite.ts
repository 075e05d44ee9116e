/**
 * `agtop report` over a SQLite store, and the live view's read of one OpenCode session, printed as
 * numbers (Linux: `/usr/bin/time` gives peak RSS).
 *
 * 1. Writes `--sessions N` (default 2,000) OpenCode sessions of `--requests R` (default 20) responses
 *    each into a temporary HOME (`tests/support/history.ts`, OpenCode's own indexes), then runs
 *    `main.ts report sessions --agent opencode --format json` in a process of its own: wall, CPU, peak
 *    RSS, and whether its totals equal the generator's.
 * 2. A live session of `--live M` (default 400) messages in a WAL database its writer keeps open: the
 *    reader's cost per tick while nothing is written, and while one response is written per tick.
 *
 * Run: `deno run --allow-all scripts/bench_report_sqlite.ts [--sessions 2000] [--requests 20] [--live 400]`.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { OpenCodeSessionSource } from "../agents/vendors/opencode/sessions.ts";
import { sessionPath } from "../agents/formats/sqlite.ts";
import { totalTokens } from "../agents/session.ts";
import { type OpenCodeSession, type Response, writeOpenCode } from "../tests/support/history.ts";
import { RUN_PERMISSIONS } from "../tests/support/fakes.ts";
import { V8_FLAGS } from "./build.ts";
import { cpuMs } from "./bench.ts";
import { measured } from "./bench_scale.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const TICKS = 200;

function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Number(Deno.args[at + 1]) : fallback;
}

/** The responses of session `i`: `count` of them, a minute apart, ending an hour before `now`. */
function responses(i: number, count: number, now: number): Response[] {
  return Array.from({ length: count }, (_, k) => ({
    at: now - 3_600_000 - i * 60_000 - (count - k) * 60_000,
    model: k % 3 ? "claude-sonnet-4-5" : "claude-haiku-4-5",
    input: 100 + k,
    output: 20 + (i % 7),
    cacheRead: 1_000 * k,
    cacheWrite: 50,
  }));
}

async function report(home: string, count: number, requests: number): Promise<void> {
  const now = Date.now();
  const sessions: OpenCodeSession[] = [];
  let expected = 0;
  for (let i = 0; i < count; i++) {
    const rs = responses(i, requests, now);
    for (const r of rs) expected += r.input + r.output + (r.cacheRead ?? 0) + (r.cacheWrite ?? 0);
    sessions.push({ id: `ses_${String(i).padStart(6, "0")}`, cwd: `/w/p${i % 20}`, responses: rs });
  }
  writeOpenCode(home, sessions);
  const env = { HOME: home, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", TZ: "UTC" };
  const args = ["report", "sessions", "--agent", "opencode", "--since", "60d", "--format", "json"];
  // As agtop ships: its permissions and its V8 flags (a small young generation).
  const run = await measured([Deno.execPath(), "run", ...V8_FLAGS, ...RUN_PERMISSIONS, MAIN, ...args], env);
  const doc = JSON.parse(run.stdout);
  const exact = doc.totals.sessions === count && doc.totals.total_tokens === expected;
  console.log(
    `report sessions over ${count} OpenCode sessions x ${requests} responses: wall ${
      run.wall.toFixed(0)
    } ms, ` +
      `CPU ${run.cpu.toFixed(0)} ms, peak RSS ${(run.rssKb / 1024).toFixed(0)} MiB, totals ` +
      (exact
        ? "exact"
        : `WRONG (${doc.totals.sessions} sessions, ${doc.totals.total_tokens} of ${expected} tokens)`),
  );
  if (!exact) Deno.exit(1);
}

/** Median of per-tick CPU (ms) of `TICKS` reads of one session, `write` run before each. */
function tickCost(read: () => unknown, write: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < TICKS; i++) {
    write();
    const t0 = performance.now();
    read();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function live(home: string, messages: number): void {
  const now = Date.now();
  const path = writeOpenCode(home, [{
    id: "ses_live",
    cwd: "/w/live",
    responses: responses(0, messages / 2, now + 3_600_000),
  }]);
  const writer = new DatabaseSync(path);
  try {
    writer.exec("PRAGMA journal_mode = WAL");
    const insert = writer.prepare(`INSERT INTO message VALUES (?, 'ses_live', ?, ?, ?)`);
    const touch = writer.prepare(`UPDATE session SET time_updated = ? WHERE id = 'ses_live'`);
    const reader = new OpenCodeSessionSource();
    const link = { path: sessionPath(path, "ses_live"), id: "ses_live", linkedBy: "cwd" };
    const read = () => {
      const facts = reader.read(link, Date.now());
      if (!facts || totalTokens(facts.tokens) === 0) throw new Error("live session not read");
    };
    read();
    let n = 0;
    const cpu0 = cpuMs();
    const idle = tickCost(read, () => {});
    const busy = tickCost(read, () => {
      const at = Date.now() + n;
      const data = {
        role: "assistant",
        modelID: "claude-sonnet-4-5",
        time: { created: at, completed: at + 1 },
        finish: "stop",
        tokens: { input: 10, output: 5, reasoning: 0, cache: { read: 100, write: 0 } },
      };
      insert.run(`msg_live_${n++}`, at, at, JSON.stringify(data));
      touch.run(at);
    });
    console.log(
      `live read of one OpenCode session (${messages} messages, WAL, writer open), median of ${TICKS} ticks: ` +
        `${idle.toFixed(3)} ms unchanged, ${busy.toFixed(3)} ms with one response written per tick ` +
        `(${((cpuMs() - cpu0) / (2 * TICKS)).toFixed(2)} ms CPU per tick incl. the writer)`,
    );
  } finally {
    writer.close();
  }
}

if (import.meta.main) {
  const home = await Deno.makeTempDir({ prefix: "agtop-bench-sqlite-" });
  const liveHome = await Deno.makeTempDir({ prefix: "agtop-bench-live-" });
  try {
    await report(home, option("sessions", 2_000), option("requests", 20));
    live(liveHome, option("live", 400));
  } finally {
    await Deno.remove(home, { recursive: true });
    await Deno.remove(liveHome, { recursive: true });
  }
}
