/**
 * `agtop watch` costs, printed as numbers (Linux, needs `tmux` and `cc`):
 *
 * 1. CPU: agtop's own CPU time (main thread and collection worker) over 60 s of `agtop watch` at the
 *    default interval in a real terminal (a private tmux server), with 20 agent-shaped processes, each
 *    linked to a Claude Code transcript: once idle (nothing changes), once busy (the transcripts grow
 *    by a response every 2 s each, 10 appends a second in all, which wake the watched directories).
 * 2. Latency: from a transcript append to the changed screen (busy run), and from a key press to the
 *    changed screen (idle run), measured through tmux.
 * 3. Memory: 2,400 ticks (an hour at 1.5 s) of Collector.tick + frame rendering + screen diff in one
 *    process, heap after a full GC compared between tick 100 and tick 2,400.
 *
 * Run: `deno run --allow-all scripts/bench_watch.ts [--seconds N]` (N: CPU window, default 60).
 *
 * @module
 */

import { projectDirName } from "../agents/vendors/claude/sessions.ts";
import { loadStyle } from "../render/style.ts";
import { prepareWidths } from "../render/text.ts";
import { renderFrame } from "../render/watch/frame.ts";
import { Screen } from "../render/watch/screen.ts";
import { applyKey, initialState, settle } from "../render/watch/state.ts";
import { FakeWorld, RUN_PERMISSIONS } from "../tests/support/fakes.ts";
import { benchCollector, cpuMs } from "./bench.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const AGENTS = 20;
const seconds = Deno.args.indexOf("--seconds");
const CPU_SECONDS = seconds >= 0 ? Number(Deno.args[seconds + 1]) : 60;
const TICKS = 2400;
/** Busy run: one transcript append this often, round robin over the agents. */
const APPEND_EVERY_MS = 100;

/** The fleet: its processes and the transcript each one writes. */
interface Fleet {
  world: FakeWorld;
  transcripts: { path: string; id: string; cwd: string }[];
}

/** One Claude Code transcript line: a prompt, or a response with usage. */
function record(t: Fleet["transcripts"][number], n: number): string {
  const base = { sessionId: t.id, cwd: t.cwd, timestamp: new Date().toISOString() };
  if (n === 0) {
    return JSON.stringify({
      ...base,
      type: "user",
      message: { role: "user", content: "run the benchmarks" },
    }) + "\n";
  }
  return JSON.stringify({
    ...base,
    type: "assistant",
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: `step ${n}` }],
      stop_reason: null,
      usage: {
        input_tokens: 3,
        cache_read_input_tokens: 20_000 + n,
        cache_creation_input_tokens: 100,
        output_tokens: 50,
      },
    },
  }) + "\n";
}

/** 20 Claude Code-shaped processes, half of them running a tool child, each with its transcript. */
async function fleet(): Promise<Fleet> {
  const world = await FakeWorld.create();
  const home = world.dir("home");
  const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
  const transcripts: Fleet["transcripts"] = [];
  for (let i = 0; i < AGENTS; i++) {
    const cwd = world.dir(`work/bench-${i}`);
    const env: Record<string, string> = i % 2
      ? { HOME: home }
      : { HOME: home, AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "900"] }]) };
    const p = world.spawn(exe, [], { cwd, env });
    if (i % 2 === 0) await world.waitForDescendants(p.pid, 1);
    const id = crypto.randomUUID();
    const t = { path: `${world.dir(`home/.claude/projects/${projectDirName(cwd)}`)}/${id}.jsonl`, id, cwd };
    Deno.writeTextFileSync(t.path, record(t, 0));
    transcripts.push(t);
  }
  return { world, transcripts };
}

function tmux(socket: string, ...args: string[]): string {
  const out = new Deno.Command("tmux", { args: ["-L", socket, ...args] }).outputSync();
  if (!out.success) throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

async function until(what: string, test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs `agtop watch` in tmux; measures its CPU share with the fleet idle or busy (transcripts growing),
 * then, idle, the latency of `s` (next sort key), or, busy, the latency of a transcript append.
 */
async function live(fleet: Fleet, busy: boolean): Promise<void> {
  const socket = `agtop-bench-${crypto.randomUUID().slice(0, 8)}`;
  const argv = [Deno.execPath(), "run", ...RUN_PERMISSIONS, MAIN, "watch", "--filter", "bench-"];
  tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "160", "-y", "40", ...argv);
  let appends = 0;
  const appender = busy
    ? setInterval(() => {
      const t = fleet.transcripts[appends % AGENTS];
      Deno.writeTextFileSync(t.path, record(t, ++appends), { append: true });
    }, APPEND_EVERY_MS)
    : undefined;
  try {
    const screen = () => tmux(socket, "capture-pane", "-p", "-t", "b");
    await until("the first frame", () => /sort cpu/.test(screen()));
    const pid = Number(tmux(socket, "display-message", "-p", "-t", "b", "#{pane_pid}").trim());
    await new Promise((r) => setTimeout(r, 3000)); // past start-up and the first ticks
    const rows = screen().split("\n").filter((l) => /bench-\d+/.test(l)).length;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const appends0 = appends;
    await new Promise((r) => setTimeout(r, CPU_SECONDS * 1000));
    const share = ((cpuMs(pid) - cpu0) / (performance.now() - t0)) * 100;
    const what = busy
      ? `busy (${((appends - appends0) / CPU_SECONDS).toFixed(1)} transcript appends/s)`
      : "idle";
    console.log(
      `agtop watch, default interval, ${rows} of ${AGENTS} fake agents on screen, ${what}, ${CPU_SECONDS} s:`,
    );
    console.log(`  CPU ${share.toFixed(2)}% of one core (main thread + collection worker)`);
    console.log(
      `  RSS ${
        (Number(Deno.readTextFileSync(`/proc/${pid}/statm`).split(" ")[1]) * 4 / 1024).toFixed(0)
      } MiB`,
    );
    if (busy) {
      clearInterval(appender);
      await appendLatency(fleet, screen);
      return;
    }

    const latencies: number[] = [];
    const order = ["mem", "tokens", "cost", "status", "uptime", "agent", "project", "pid", "cpu"];
    for (let i = 0; i < 18; i++) {
      const next = order[i % order.length];
      const t = performance.now();
      tmux(socket, "send-keys", "-t", "b", "s");
      await until(`sort ${next}`, () => screen().includes(`sort ${next} ·`));
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 137)); // land at different points of the tick cycle
    }
    latencies.sort((a, b) => a - b);
    const med = latencies[latencies.length >> 1];
    console.log(
      `  key → screen (through tmux, ${latencies.length} presses): median ${med.toFixed(0)} ms, max ${
        latencies.at(-1)!.toFixed(0)
      } ms`,
    );
  } finally {
    clearInterval(appender);
    tmux(socket, "kill-server");
  }
}

/** Time from a transcript append to the screen showing it, a few times, the fleet quiet otherwise. */
async function appendLatency(fleet: Fleet, screen: () => string): Promise<void> {
  const latencies: number[] = [];
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 700 + 137 * i)); // land at different points of the tick cycle
    const t = fleet.transcripts[2 * i + 1]; // an agent without a tool child: DOING shows its prompt
    const prompt = `marker ${i} ${crypto.randomUUID().slice(0, 6)}`;
    const line = JSON.parse(record(t, 0));
    line.message.content = prompt;
    const start = performance.now();
    Deno.writeTextFileSync(t.path, JSON.stringify(line) + "\n", { append: true });
    await until(prompt, () => screen().includes(prompt.slice(0, 12)), 10_000);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `  transcript append → screen (through tmux, ${latencies.length} appends): median ${
      latencies[latencies.length >> 1].toFixed(0)
    } ms, max ${latencies.at(-1)!.toFixed(0)} ms`,
  );
}

/** 2,400 ticks of collection and drawing in this process; heap after GC at tick 100 vs the end. */
async function memory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --v8-flags=--expose-gc");
  const collector = benchCollector();
  await prepareWidths(["●"]);
  const style = await loadStyle(true);
  const size = { columns: 160, rows: 40 };
  const screen = new Screen(() => {});
  screen.enter();
  let state = initialState({ sort: "cpu", reverse: false, filter: "", all: false });
  const heap = () => {
    gc();
    return Deno.memoryUsage().heapUsed;
  };
  let base = 0;
  let agents = 0;
  const samples: string[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= TICKS; i++) {
    const snap = await collector.tick();
    agents = snap.agents.length;
    if (i % 10 === 0) {
      const key = i % 20 ? { name: "down" as const } : { name: "char" as const, char: "s" };
      state = applyKey(state, key, snap, size).state;
    }
    state = settle(state, snap, size);
    screen.draw(renderFrame(snap, state, { ...size, style, interval: 1.5 }));
    if (i === 100) base = heap();
    if (i % 600 === 0) samples.push(`${(heap() / 2 ** 20).toFixed(2)} MiB at ${i}`);
  }
  const ms = (performance.now() - t0) / TICKS;
  const end = heap();
  console.log(`${TICKS} ticks (1 h at 1.5 s) of tick + frame + diff, ${agents} agents:`);
  console.log(`  ${ms.toFixed(2)} ms per tick+frame (wall)`);
  console.log(
    `  heap after GC: ${(base / 2 ** 20).toFixed(2)} MiB at tick 100, ${
      (end / 2 ** 20).toFixed(2)
    } MiB at tick ${TICKS} ` +
      `(${((end - base) / 1024).toFixed(0)} KiB change)`,
  );
  console.log(`  along the way: ${samples.join(", ")}`);
}

if (import.meta.main) {
  if (Deno.args.includes("--memory")) {
    await memory();
  } else {
    const f = await fleet();
    await using _world = f.world;
    await live(f, false);
    await live(f, true);
    // The memory part needs a GC it can call: run it in a child with --expose-gc, the fleet still up.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--v8-flags=--expose-gc", new URL(import.meta.url).pathname, "--memory"],
    }).spawn();
    if (!(await child.status).success) Deno.exit(1);
  }
}
