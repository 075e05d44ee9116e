/**
 * `ls --all` and the live view's `a` against a large history on disk, printed as numbers (Linux).
 *
 * Builds, in a temporary HOME, a Claude Code tree `~/.claude/projects/<project>/<uuid>.jsonl` with
 * `--old N` transcripts last written weeks ago and `--recent M` sessions written within the last day
 * (the lines of `tests/fixtures/claude/session.jsonl`, ids changed), plus a Codex tree
 * `~/.codex/sessions/YYYY/MM/DD/rollout-….jsonl` with a tenth as many of each (the lines of a
 * fixture rollout). Then, each in a process of its own so that peak RSS is its own:
 *
 * 1. `main.ts ls --all --format json` (HOME pointed at the tree): wall, CPU, peak RSS, rows listed.
 * 2. `--ticks K` ticks of a collector with `recentMs` = 24 h: first tick, then the median steady
 *    tick (wall and CPU), and peak RSS.
 *
 * Run: `deno run --allow-all scripts/bench_scale.ts [--old 100000] [--recent 32000] [--ticks 5]`.
 *
 * @module
 */

import { createCollector } from "../agents/collect/collector.ts";
import { bundledTable } from "../agents/pricing/table.ts";
import { processSource } from "../platform/mod.ts";
import { RUN_PERMISSIONS } from "../tests/support/fakes.ts";
import { V8_FLAGS } from "./build.ts";
import { cpuMs } from "./bench.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const FIXTURES = new URL("../tests/fixtures/", import.meta.url).pathname;
const DAY_MS = 86_400_000;
/** Sessions per Claude Code project directory. */
const PER_PROJECT = 200;

function option(name: string, fallback: number): number {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Number(Deno.args[at + 1]) : fallback;
}

/** Peak resident set size of this process (kB), from /proc. */
function peakRssKb(): number {
  const m = /VmHWM:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) : 0;
}

/** A UUID made from a number, so runs are repeatable. */
function uuid(n: number, kind: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `019a8b3c-${kind.toString(16).padStart(4, "0")}-7000-8000-${hex}`;
}

/** Writes `count` sessions of `lines` (with `from` replaced by each id), each last written at `mtimeOf(i)`. */
function writeSessions(
  count: number,
  pathOf: (i: number, id: string) => string,
  lines: string,
  from: string,
  mtimeOf: (i: number) => number,
  kind: number,
): void {
  for (let i = 0; i < count; i++) {
    const id = uuid(i, kind);
    const path = pathOf(i, id);
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(path, lines.replaceAll(from, id));
    const at = new Date(mtimeOf(i));
    Deno.utimeSync(path, at, at);
  }
}

/** `YYYY/MM/DD` in local time, as Codex names its date folders. */
function dateDir(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
}

/** The tree: Claude Code projects and Codex date folders under `home`. */
function buildTree(home: string, old: number, recent: number): void {
  const now = Date.now();
  const claude = Deno.readTextFileSync(`${FIXTURES}/claude/session.jsonl`);
  const claudeId = "9f8aaf45-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  const projects = `${home}/.claude/projects`;
  // Old transcripts live in projects of their own, last touched weeks ago; recent ones in others.
  const oldAt = (i: number) => now - 21 * DAY_MS - (i % 5_000) * 60_000;
  const recentAt = (i: number) => now - 60_000 - Math.floor((i * 20 * 3_600_000) / Math.max(recent, 1));
  writeSessions(
    old,
    (i, id) => `${projects}/-home-me-old-${Math.floor(i / PER_PROJECT)}/${id}.jsonl`,
    claude,
    claudeId,
    oldAt,
    1,
  );
  writeSessions(
    recent,
    (i, id) => `${projects}/-home-me-new-${Math.floor(i / PER_PROJECT)}/${id}.jsonl`,
    claude,
    claudeId,
    recentAt,
    2,
  );
  for (const name of Deno.readDirSync(projects)) {
    if (!name.name.includes("-old-")) continue;
    const at = new Date(now - 21 * DAY_MS);
    Deno.utimeSync(`${projects}/${name.name}`, at, at);
  }
  const codex = Deno.readTextFileSync(
    `${FIXTURES}/codex/rollout-2026-11-24T05-00-00-019a8b3c-7777-7aaa-8bbb-ccccdddd0001.jsonl`,
  );
  const codexId = "019a8b3c-7777-7aaa-8bbb-ccccdddd0001";
  const sessions = `${home}/.codex/sessions`;
  const rollout = (at: number, id: string) =>
    `${sessions}/${dateDir(at)}/rollout-${
      new Date(at).toISOString().slice(0, 19).replaceAll(":", "-")
    }-${id}.jsonl`;
  const codexOldAt = (i: number) => now - 14 * DAY_MS - (i % 60) * DAY_MS;
  const codexRecentAt = (i: number) => now - 60_000 - ((i * 3_600_000) % (20 * 3_600_000));
  writeSessions(Math.floor(old / 10), (i, id) => rollout(codexOldAt(i), id), codex, codexId, codexOldAt, 3);
  writeSessions(
    Math.floor(recent / 10),
    (i, id) => rollout(codexRecentAt(i), id),
    codex,
    codexId,
    codexRecentAt,
    4,
  );
}

/**
 * Runs `cmd` under `/usr/bin/time -v`: wall (ms), CPU (ms), peak RSS (kB), and its stdout.
 *
 * @example
 * ```ts
 * const run = await measured(["true"], { PATH: "/usr/bin:/bin" });
 * run.rssKb; // peak RSS of `true`
 * ```
 */
export async function measured(cmd: string[], env: Record<string, string>) {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-v", ...cmd],
    env,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const wall = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(err);
  const num = (re: RegExp) => Number(re.exec(err)?.[1] ?? NaN);
  const cpu = (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000;
  return {
    wall,
    cpu,
    rssKb: num(/Maximum resident set size \(kbytes\): (\d+)/),
    stdout: new TextDecoder().decode(out.stdout),
  };
}

/** In a child process: `ticks` collector ticks with recentMs = 24 h; prints one JSON line of timings. */
async function ticksChild(ticks: number): Promise<void> {
  const collector = createCollector(
    { matchSpecs: [], prices: bundledTable(), dataDirs: {}, version: "bench", recentMs: DAY_MS },
    processSource(),
  );
  const runs: { wall: number; cpu: number; rows: number }[] = [];
  for (let i = 0; i < ticks; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const snap = await collector.tick();
    runs.push({ wall: performance.now() - t0, cpu: cpuMs() - c0, rows: snap.agents.length });
    await new Promise((r) => setTimeout(r, 1_100)); // past the one-tick listing reuse
  }
  console.log(JSON.stringify({ runs, rssKb: peakRssKb() }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  if (Deno.args[0] === "--ticks-child") return await ticksChild(Number(Deno.args[1]));
  const old = option("old", 100_000);
  const recent = option("recent", 32_000);
  const ticks = option("ticks", 5);
  const home = await Deno.makeTempDir({ prefix: "agtop-scale-" });
  try {
    const t0 = performance.now();
    buildTree(home, old, recent);
    console.log(
      `tree: ${old} old + ${recent} recent Claude Code transcripts, ${Math.floor(old / 10)} old + ` +
        `${Math.floor(recent / 10)} recent Codex rollouts (${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s to write)`,
    );
    const env = { HOME: home, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" };
    const ls = await measured(
      [Deno.execPath(), "run", ...V8_FLAGS, ...RUN_PERMISSIONS, MAIN, "ls", "--all", "--format", "json"],
      env,
    );
    const json = JSON.parse(ls.stdout);
    const rows = json.agents?.length ?? 0;
    console.log(
      `ls --all --format json: wall ${ls.wall.toFixed(0)} ms, CPU ${ls.cpu.toFixed(0)} ms, ` +
        `peak RSS ${(ls.rssKb / 1024).toFixed(0)} MB, ${rows} rows` +
        (json.more_sessions !== undefined ? `, more_sessions ${json.more_sessions}` : ""),
    );
    const child = await measured(
      [
        Deno.execPath(),
        "run",
        "--allow-all",
        new URL(import.meta.url).pathname,
        "--ticks-child",
        String(ticks),
      ],
      env,
    );
    const { runs } = JSON.parse(child.stdout) as { runs: { wall: number; cpu: number; rows: number }[] };
    const steady = runs.slice(1);
    console.log(
      `collector, recentMs 24 h, ${ticks} ticks: first tick wall ${runs[0].wall.toFixed(0)} ms, CPU ` +
        `${runs[0].cpu.toFixed(0)} ms, ${runs[0].rows} rows; steady tick (median) wall ` +
        `${median(steady.map((r) => r.wall)).toFixed(0)} ms, CPU ${
          median(steady.map((r) => r.cpu)).toFixed(0)
        } ms; ` +
        `peak RSS ${(child.rssKb / 1024).toFixed(0)} MB`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) await main();
