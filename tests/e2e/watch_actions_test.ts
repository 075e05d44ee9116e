/**
 * `agtop watch` end to end, doing things: ending an agent and the orphans of another with the keys and
 * agtop's real permissions, jumping to an agent's tmux pane, and a transcript change showing before
 * the next interval.
 */
import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { agtopWatch, quote, rowOf, Tmux, tmuxMissing } from "../support/tmux.ts";
import { projectDirName } from "../../agents/vendors/claude/sessions.ts";

const skip = tmuxMissing() ?? fakesUnavailable();
if (skip) console.log(`watch action end-to-end tests skipped: ${skip}`);

const CLAUDE = "node_modules/@anthropic-ai/claude-code/bin/claude.exe";

/** Whether `pid` still runs (not gone, not a zombie), from /proc. */
function running(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Filters agtop's table to `text` and waits for a row holding `row`. */
async function filterTo(tmux: Tmux, text: string, row: string): Promise<string> {
  await tmux.keys("/");
  await tmux.type(text);
  await tmux.keys("Enter");
  return await tmux.waitFor(`the row of ${row}`, (s) => Boolean(rowOf(s, row)));
}

Deno.test({
  name: "watch: k, y sends SIGTERM to the selected agent with agtop's own permissions",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `kill${crypto.randomUUID().slice(0, 6)}`;
    const agent = world.spawn(world.native(CLAUDE), [], { cwd: world.dir(`work/${tag}`) });
    await using tmux = await Tmux.start([...agtopWatch(), "--interval", "0.5"], 120, 30);
    await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
    const screen = await filterTo(tmux, tag, String(agent.pid));
    assert.match(rowOf(screen, tag)!, new RegExp(`^>.*Claude Code\\s+${agent.pid}\\s`));

    await tmux.keys("k");
    await tmux.waitFor(
      "the question",
      (s) => s.includes(`send SIGTERM to Claude Code (pid ${agent.pid})? y/n`),
    );
    assert.ok(running(agent.pid), "nothing is sent before the answer");
    await tmux.keys("n");
    await tmux.waitFor("cancelled", (s) => s.trimEnd().endsWith("cancelled"));
    assert.ok(running(agent.pid));

    await tmux.keys("k");
    await tmux.waitFor("the question again", (s) => s.includes("? y/n"));
    await tmux.keys("y");
    const status = await agent.child.status;
    assert.equal(status.signal, "SIGTERM", "the agent got SIGTERM and exited");
    await tmux.waitFor("the report", (s) => s.includes(`sent SIGTERM to Claude Code (pid ${agent.pid})`));
    await tmux.waitFor("the row to go", (s) => s.includes("No agents match the filter."));
    await tmux.keys("q");
    await tmux.assertRestored(0);
  },
});

Deno.test({
  name: "watch: K, y ends every orphan an exited agent left running",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `orph${crypto.randomUUID().slice(0, 6)}`;
    const agent = world.spawn(world.native(CLAUDE), [], {
      cwd: world.dir(`work/${tag}`),
      env: {
        AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "301"] }, { argv: ["/bin/sleep", "302"] }]),
      },
    });
    const tools = await world.waitForDescendants(agent.pid, 2);
    await using tmux = await Tmux.start([...agtopWatch(), "--interval", "0.3"], 120, 30);
    try {
      await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
      await filterTo(tmux, tag, "/bin/sleep");
      // agtop has seen the tools under their agent; the agent dies and leaves them running.
      agent.child.kill("SIGKILL");
      await agent.child.status;
      let screen = await tmux.waitFor(
        "the orphan rows",
        (s) =>
          tools.every((pid) => s.split("\n").some((l) => l.includes(`└ orphan`) && l.includes(`${pid}`))),
      );
      assert.match(rowOf(screen, "✓ done")!, /^>/, "the exited agent's row is selected");
      await tmux.keys("k");
      await tmux.waitFor(
        "no process left",
        (s) => s.includes("Claude Code has no process left; K ends its 2 orphans"),
      );
      await tmux.keys("K");
      await tmux.waitFor("the question", (s) => s.includes("send SIGTERM to 2 orphans of Claude Code? y/n"));
      await tmux.keys("y");
      await until("both orphans to exit", () => tools.every((pid) => !running(pid)));
      screen = await tmux.waitFor(
        "the report",
        (s) => s.includes("sent SIGTERM to 2 orphans of Claude Code"),
      );
      await tmux.keys("q");
      await tmux.assertRestored(0);
    } finally {
      for (const pid of tools) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  },
});

/** The index of session `t`'s active window. */
function activeWindow(tmux: Tmux): string {
  const out = new Deno.Command("tmux", {
    args: ["-L", tmux.socket, "list-windows", "-t", "t:", "-F", "#{window_active} #{window_index}"],
  }).outputSync();
  const active = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.startsWith("1 "));
  return active?.slice(2) ?? "";
}

/** tmux with agtop in window 0 and a Claude Code-shaped agent started inside window 1's pane. */
async function twoWindows(
  world: FakeWorld,
  exe: string,
  tag: string,
  agtop: string[],
): Promise<[Tmux, number]> {
  const tmux = await Tmux.start([...agtop, "--interval", "0.5"], 120, 30);
  try {
    // -d: window 0 (agtop) stays the active one.
    await tmux.tmux("new-window", "-d", "-t", "t:1", "-c", world.dir(`work/${tag}`), `exec ${quote(exe)}`);
    const pid = Number(await tmux.display("#{pane_pid}", "t:1"));
    await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
    return [tmux, pid];
  } catch (e) {
    await tmux[Symbol.asyncDispose]();
    throw e;
  }
}

Deno.test({
  name: "watch: t jumps to the agent's tmux pane with --allow-run=tmux, and says what it needs without",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `jump${crypto.randomUUID().slice(0, 6)}`;
    const exe = world.native(CLAUDE);
    {
      const [tmux, pid] = await twoWindows(world, exe, `${tag}-a`, agtopWatch("--allow-run=tmux"));
      await using _ = tmux;
      const screen = await filterTo(tmux, `${tag}-a`, String(pid));
      assert.match(rowOf(screen, String(pid))!, /Claude Code/);
      assert.equal(activeWindow(tmux), "0");
      await tmux.keys("t");
      await until("window 1 to be active", () => activeWindow(tmux) === "1");
      const paneId = await tmux.display("#{pane_id}", "t:1");
      // No client is attached to this test server: the window and pane are selected for the next attach.
      await tmux.waitFor(
        "the report",
        (s) =>
          s.includes(
            `selected tmux pane ${paneId} (t:1.0) for Claude Code (pid ${pid}); no tmux client to switch`,
          ),
      );
    }
    {
      const [tmux, pid] = await twoWindows(world, exe, `${tag}-b`, agtopWatch());
      await using _ = tmux;
      await filterTo(tmux, `${tag}-b`, String(pid));
      await tmux.keys("t");
      await tmux.waitFor("the hint", (s) => s.includes("jumping to tmux needs --allow-run=tmux"));
      assert.equal(activeWindow(tmux), "0", "no jump");
      await tmux.keys("q");
      await tmux.assertRestored(0);
    }
  },
});

Deno.test({
  name: "watch: a transcript append shows long before the next interval (directories watched)",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `fsw${crypto.randomUUID().slice(0, 6)}`;
    const home = world.dir("home");
    const cwd = world.dir(`work/${tag}`);
    const agent = world.spawn(world.native(CLAUDE), [], { cwd, env: { HOME: home } });
    await new Promise((r) => setTimeout(r, 100));
    const id = "33333333-3333-4333-8333-333333333333";
    const file = `${world.dir(`home/.claude/projects/${projectDirName(cwd)}`)}/${id}.jsonl`;
    const record = (text: string) =>
      JSON.stringify({
        type: "user",
        sessionId: id,
        cwd,
        timestamp: new Date().toISOString(),
        message: { role: "user", content: text },
      }) + "\n";
    await Deno.writeTextFile(file, record("first prompt"));
    await using tmux = await Tmux.start([...agtopWatch(), "--interval", "10"], 140, 30);
    await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
    await filterTo(tmux, tag, String(agent.pid));
    await tmux.keys("r"); // one tick now, so the transcript is linked and its directory watched
    await tmux.waitFor(
      "the first prompt",
      (s) => rowOf(s, String(agent.pid))?.includes("first prompt") ?? false,
    );
    await new Promise((r) => setTimeout(r, 300));

    const t0 = performance.now();
    await Deno.writeTextFile(file, record(`second ${tag}`), { append: true });
    await tmux.waitFor(
      "the second prompt",
      (s) => rowOf(s, String(agent.pid))?.includes(`second ${tag}`) ?? false,
      5000,
      20,
    );
    const ms = performance.now() - t0;
    console.log(`transcript append → screen: ${ms.toFixed(0)} ms (interval 10 s)`);
    assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
    await tmux.keys("q");
    await tmux.assertRestored(0);
  },
});
