/**
 * `agtop report sessions` over a generated Claude Code history, side by side with ccusage: wall time and
 * peak RSS of each, the ratio, and whether the totals are the generator's (run by `deno task bench`, or
 * alone: `deno run -A scripts/bench_report.ts`). Also `agtop ls --all` over the same history.
 *
 * The history is written to a temporary directory by `scripts/claude_history.ts` and removed after.
 * Environment: `BENCH_SESSIONS` and `BENCH_TURNS` (default 100 × 60, about 120 MiB; 600 × 60 is the
 * ~714 MiB history of issue 17, in Claude Code 2.1.197's layout), `BENCH_RUNS` (default 3, interleaved), `CCUSAGE` (the ccusage binary;
 * else `ccusage` on PATH; skipped when absent).
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname;
const DAY_MS = 86_400_000;

/** The four token buckets both tools count. */
interface Totals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** One timed run: wall seconds, peak RSS in MiB, and what it printed. */
interface Run {
  wall: number;
  rssMiB: number;
  stdout: string;
}

/** The permission flags of `deno task agtop`, so the bench runs agtop as the task does (without npx). */
function agtopFlags(): string[] {
  const task: string = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks.agtop;
  return task.split(/\s+/).filter((w) => w.startsWith("--"));
}

/** `cmd` run under `/usr/bin/time` (wall and the peak RSS of the process). */
async function timed(cmd: string[], env: Record<string, string>): Promise<Run> {
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %M", ...cmd],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) throw new Error(`${cmd.join(" ")} failed:\n${err.join("\n")}`);
  const [wall, rss] = err.at(-1)!.split(" ").map(Number);
  return { wall, rssMiB: rss / 1024, stdout: new TextDecoder().decode(out.stdout) };
}

/** The ccusage binary: `CCUSAGE`, else `ccusage` on PATH, else null. */
function findCcusage(): string | null {
  const named = Deno.env.get("CCUSAGE");
  if (named) return named;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/ccusage`).isFile) return `${dir}/ccusage`;
    } catch {
      // not here
    }
  }
  return null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function same(a: Totals, b: Totals): boolean {
  return a.input === b.input && a.output === b.output && a.cacheRead === b.cacheRead &&
    a.cacheWrite === b.cacheWrite;
}

/** Runs the comparison and prints it; false when a total differs from the generator's. */
export async function benchReport(): Promise<boolean> {
  const sessions = Number(Deno.env.get("BENCH_SESSIONS") ?? 100);
  const turns = Number(Deno.env.get("BENCH_TURNS") ?? 60);
  const runs = Number(Deno.env.get("BENCH_RUNS") ?? 3);
  const home = await Deno.makeTempDir({ prefix: "agtop-bench-history-" });
  try {
    const gen = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-write",
        `${ROOT}/scripts/claude_history.ts`,
        home,
        String(sessions),
        String(turns),
      ],
      stderr: "inherit",
    }).output();
    if (!gen.success) throw new Error("claude_history.ts failed");
    const expected: Totals & { bytes: number } = JSON.parse(new TextDecoder().decode(gen.stdout));
    const env = {
      HOME: home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      NO_COLOR: "1",
      TZ: "UTC",
      // Deno's own cache stays where it is (under the generated HOME it would be fetched again).
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    };
    const since = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    const main = `${ROOT}/main.ts`;
    const report = [Deno.execPath(), "run", ...agtopFlags(), main, "report", "sessions", "--since", since];
    const ls = [
      Deno.execPath(),
      "run",
      ...agtopFlags(),
      main,
      "ls",
      "--all",
      "--since",
      "60d",
      "--sample",
      "0",
    ];
    const ccusage = findCcusage();
    const cc = ccusage && [ccusage, "claude", "session", "--json", "--offline"];
    const ccEnv = { ...env, CLAUDE_CONFIG_DIR: `${home}/.claude` };
    console.log(
      `report over a generated Claude history: ${sessions} sessions × ${turns} turns, ${
        (expected.bytes / 2 ** 20).toFixed(0)
      } MiB, ${runs} runs interleaved`,
    );
    if (!cc) console.log("  ccusage not found (set CCUSAGE or put it on PATH): agtop alone");
    const agtop: Run[] = [];
    const them: Run[] = [];
    const list: Run[] = [];
    await timed([...report, "--format", "json"], env); // warm the module cache and the page cache
    for (let i = 0; i < runs; i++) {
      agtop.push(await timed([...report, "--format", "json"], env));
      if (cc) them.push(await timed(cc, ccEnv));
      list.push(await timed([...ls, "--format", "json"], env));
    }
    const ours = JSON.parse(agtop[0].stdout).totals.tokens;
    const ourTotals = {
      input: ours.input,
      output: ours.output,
      cacheRead: ours.cache_read,
      cacheWrite: ours.cache_write,
    };
    let ok = same(ourTotals, expected);
    const line = (name: string, rs: Run[]) =>
      console.log(
        `  ${name.padEnd(28)} wall ${median(rs.map((r) => r.wall)).toFixed(2)} s (${
          rs.map((r) => r.wall.toFixed(2)).join(", ")
        })  peak RSS ${median(rs.map((r) => r.rssMiB)).toFixed(0)} MiB`,
      );
    line("agtop report sessions", agtop);
    if (cc) {
      line("ccusage claude session", them);
      const t = JSON.parse(them[0].stdout).totals;
      const theirs = {
        input: t.inputTokens,
        output: t.outputTokens,
        cacheRead: t.cacheReadTokens,
        cacheWrite: t.cacheCreationTokens,
      };
      ok &&= same(theirs, expected);
      const ratio = median(agtop.map((r) => r.wall)) / median(them.map((r) => r.wall));
      console.log(
        `  agtop / ccusage wall: ${ratio.toFixed(2)}  (each run: ${
          agtop.map((r, i) => (r.wall / them[i].wall).toFixed(2)).join(", ")
        })`,
      );
      console.log(`  ccusage totals ${same(theirs, expected) ? "equal" : "DIFFER from"} the generator's`);
    }
    line("agtop ls --all", list);
    console.log(`  agtop totals ${same(ourTotals, expected) ? "equal" : "DIFFER from"} the generator's`);
    return ok;
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main && !(await benchReport())) Deno.exit(1);
