/**
 * `deno task bench`: agtop's speed and memory, printed as numbers.
 *
 * 1. Start-up: `agtop ls` (json and table, `--sample 0`) against a bare `deno run` of an empty file.
 * 2. Per-tick collection cost with 1,000 extra processes running: CPU time of a steady-state tick.
 * 3. `agtop report sessions` beside ccusage over a generated history: see `scripts/bench_report.ts`.
 * 4. Transcripts: see `scripts/bench_transcript.ts` (run after these).
 * 5. `agtop report` over 2,000 OpenCode sessions, and the live read of one: see
 *    `scripts/bench_report_sqlite.ts` (about ten seconds).
 * 6. `agtop serve`: see `scripts/bench_serve.ts` (run last: about four minutes).
 *
 * @module
 */

import { type Collector, createCollector } from "../agents/collect/collector.ts";
import { bundledTable } from "../agents/pricing/table.ts";
import { processSource } from "../platform/mod.ts";
import { RUN_PERMISSIONS } from "../tests/support/fakes.ts";
import { benchReport } from "./bench_report.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const RUNS = 15;

/** Wall time of one run of `deno <args>`, in ms. */
async function timeOnce(args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return performance.now() - t0;
}

/**
 * The median wall time of each command over {@linkcode RUNS} rounds, one run of each per round: load
 * that comes and goes (a shared machine) weighs on every command alike, so their ratios hold.
 */
async function timeCommands(commands: string[][]): Promise<number[]> {
  const times = commands.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [j, args] of commands.entries()) times[j].push(await timeOnce(args));
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

/** Heap in use after a full collection (the task runs with --expose-gc). */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Deno.memoryUsage().heapUsed;
}

/** User + system CPU time of a process (this one by default) in ms, all its threads, from /proc. */
export function cpuMs(pid: number | "self" = "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) / 100) * 1000;
}

/** A collector of the real processes with the built-in recognisers and bundled prices, built as `ls` builds one. */
export function benchCollector(): Collector {
  return createCollector(
    { matchSpecs: [], prices: bundledTable(), dataDirs: {}, version: "bench" },
    processSource(),
  );
}

async function startup(): Promise<void> {
  const empty = await Deno.makeTempFile({ suffix: ".ts" });
  const perms = RUN_PERMISSIONS;
  const commands = [
    ["run", empty],
    ["run", ...perms, MAIN, "ls", "--sample", "0", "--format", "json"],
    ["run", ...perms, MAIN, "ls", "--sample", "0"],
  ];
  for (const args of commands) await timeOnce(args); // warm caches
  const [bare, json, table] = await timeCommands(commands);
  await Deno.remove(empty);
  console.log(`start-up (median of ${RUNS}):`);
  console.log(`  bare deno run           ${bare.toFixed(1)} ms`);
  console.log(`  agtop ls --format json  ${json.toFixed(1)} ms  (${(json / bare).toFixed(2)}x bare)`);
  console.log(`  agtop ls (table)        ${table.toFixed(1)} ms  (${(table / bare).toFixed(2)}x bare)`);
}

async function ticks(extra: number): Promise<void> {
  const children: Deno.ChildProcess[] = [];
  for (let i = 0; i < extra; i++) {
    children.push(new Deno.Command("sleep", { args: ["600"], stdout: "null", stderr: "null" }).spawn());
  }
  try {
    await new Promise((r) => setTimeout(r, 500));
    const collector = benchCollector();
    await collector.tick();
    const n = Deno.readDirSync("/proc").filter((e) => /^\d+$/.test(e.name)).toArray().length;
    const N = 100;
    const cpu0 = cpuMs();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await collector.tick();
    const wall = (performance.now() - t0) / N;
    const cpu = (cpuMs() - cpu0) / N;
    console.log(`steady tick with ${n} processes (${extra} extra), mean of ${N}:`);
    console.log(`  ${cpu.toFixed(2)} ms CPU, ${wall.toFixed(2)} ms wall per tick`);
    const heap0 = heapAfterGc();
    for (let i = 0; i < 2000; i++) await collector.tick();
    const heap1 = heapAfterGc();
    console.log(
      `  heap after a full GC: ${(heap0 / 2 ** 20).toFixed(2)} MiB, after 2,000 more ticks ${
        (heap1 / 2 ** 20).toFixed(2)
      } MiB`,
    );
  } finally {
    for (const c of children) c.kill("SIGKILL");
    await Promise.all(children.map((c) => c.status));
  }
}

if (import.meta.main) {
  await startup();
  await ticks(1000);
  if (!(await benchReport())) Deno.exit(1);
  const transcript = new URL("./bench_transcript.ts", import.meta.url);
  const ok = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", "--allow-sys", transcript.pathname],
  }).spawn().status;
  if (!ok.success) Deno.exit(1);
  const sqlite = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./bench_report_sqlite.ts", import.meta.url).pathname],
  }).spawn().status;
  if (!sqlite.success) Deno.exit(1);
  const serve = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./bench_serve.ts", import.meta.url).pathname],
  }).spawn().status;
  if (!serve.success) Deno.exit(1);
}
