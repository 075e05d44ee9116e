import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld } from "../support/fakes.ts";
import { agtopWatch, rowOf, Tmux, tmuxMissing } from "../support/tmux.ts";

/** agtop as users run it: least permissions (the collection worker inherits them). */
const AGTOP = agtopWatch();

const skip = tmuxMissing() ?? fakesUnavailable();
if (skip) console.log(`watch end-to-end tests skipped: ${skip}`);

/** Claude Code-shaped processes (native binary, a running tool child), one in each project. */
async function claudeIn(world: FakeWorld, projects: string[]): Promise<{ pid: number; tool: number }[]> {
  const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
  return await Promise.all(projects.map((project) => claude(world, exe, project)));
}

async function claude(
  world: FakeWorld,
  exe: string,
  project: string,
): Promise<{ pid: number; tool: number }> {
  const p = world.spawn(exe, ["--dangerously-skip-permissions"], {
    cwd: world.dir(`work/${project}`),
    env: { AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "300"] }]) },
  });
  const [tool] = await world.waitForDescendants(p.pid, 1);
  return { pid: p.pid, tool };
}

Deno.test({
  name: "watch: rows, sort, filter, detail view, resize, and q restores the terminal",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const tag = `wt${crypto.randomUUID().slice(0, 6)}`;
    const [a, b] = await claudeIn(world, [`${tag}-a`, `${tag}-b`]);
    await using tmux = await Tmux.start([...AGTOP, "--interval", "0.5"], 120, 30);

    await tmux.waitFor(
      "the header",
      (s) => /^agtop · .* agents?/.test(s) && /· sort cpu · every 0\.5s/.test(s),
    );
    assert.equal(await tmux.display("#{alternate_on}"), "1", "runs on the alternate screen");
    assert.equal(await tmux.display("#{cursor_flag}"), "0", "cursor hidden");
    assert.equal(await tmux.display("#{mouse_sgr_flag}"), "1", "SGR mouse reporting on");
    assert.match(tmux.lastScreen, /STATUS\s+(?:FOR\s+)?AGENT\s+PID\s+PROJECT/);
    assert.match(
      tmux.lastScreen.trimEnd().split("\n").at(-1)!,
      /q quit\s+\? help/,
      "key hint on the last line",
    );

    // Filter to this test's agents: both rows, with the danger mark and the running tool.
    await tmux.keys("/");
    await tmux.type(tag);
    await tmux.keys("Enter");
    let screen = await tmux.waitFor(
      "both rows",
      (s) => Boolean(rowOf(s, `${tag}-a`) && rowOf(s, `${tag}-b`)),
    );
    assert.match(screen, new RegExp(`filter "${tag}" 2/\\d+`));
    for (const [p, agent] of [[`${tag}-a`, a], [`${tag}-b`, b]] as const) {
      const row = rowOf(screen, p)!;
      assert.match(
        row,
        new RegExp(`^[> ]! ● busy\\s+(?:\\d+[smhd]\\s+)?Claude Code\\s+${agent.pid}\\s`),
        row,
      );
      assert.match(row, /\/bin\/sleep 300/);
    }
    assert.equal(screen.split("\n").filter((l) => l.startsWith(">")).length, 1, "one selected row");

    await tmux.keys("s");
    await tmux.waitFor("sort by memory", (s) => s.includes("· sort mem ·"));
    await tmux.keys("S");
    await tmux.waitFor("reversed sort", (s) => s.includes("sort mem (reversed)"));

    // Narrow the filter: `/` starts from the applied filter.
    await tmux.keys("/");
    await tmux.type("-a");
    await tmux.keys("Enter");
    screen = await tmux.waitFor(
      "only agent a",
      (s) => Boolean(rowOf(s, `${tag}-a`)) && !rowOf(s, `${tag}-b`),
    );
    assert.match(rowOf(screen, `${tag}-a`)!, /^>/, "the only row is selected");
    const colour = await tmux.screen(true);
    // deno-lint-ignore no-control-regex
    assert.match(rowOf(colour, `${tag}-a`)!, /\x1b\[[\d;]*\b7m/, "the selected row is drawn inverse");

    await tmux.keys("Enter");
    screen = await tmux.waitFor("the detail view", (s) => s.includes("Processes"));
    assert.match(screen, new RegExp(`Claude Code!\\s+pid ${a.pid}`));
    assert.match(screen, /dangerous\s+runs without permission checks: --dangerously-skip-permissions/);
    assert.match(screen, new RegExp(`child\\s+${a.tool}\\s.*/bin/sleep 300`));
    assert.match(screen, /Esc back/);
    await tmux.keys("Escape");
    await tmux.waitFor(
      "the table again",
      (s) => !s.includes("Processes") && /STATUS\s+(?:FOR\s+)?AGENT/.test(s),
    );

    // Resize: columns drop, nothing wraps, the rows stay.
    await tmux.tmux("resize-window", "-t", "t", "-x", "60", "-y", "12");
    screen = await tmux.waitFor(
      "the narrow layout",
      (s) => /STATUS\s+(?:FOR\s+)?AGENT/.test(s) && !s.includes("MODEL"),
    );
    assert.ok(screen.split("\n").every((l) => l.length <= 60));
    assert.ok(rowOf(screen, String(a.pid)), screen);

    await tmux.keys("q");
    await tmux.assertRestored(0);
  },
});

Deno.test({
  name: "watch: Ctrl-C, SIGTERM and SIGHUP restore the terminal; NO_COLOR draws without attributes",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const ways: [string, (t: Tmux) => Promise<void>, number][] = [
      ["Ctrl-C", (t) => t.keys("C-c"), 0],
      ["SIGTERM", async (t) => Deno.kill(await t.agtopPid(), "SIGTERM"), 143],
      ["SIGHUP", async (t) => Deno.kill(await t.agtopPid(), "SIGHUP"), 129],
    ];
    for (const [way, stop, exit] of ways) {
      await using tmux = await Tmux.start(AGTOP, 80, 24, { NO_COLOR: "1" });
      await tmux.waitFor("the header", (s) => /^agtop · /.test(s) && s.includes("· every 1.5s"));
      const colour = await tmux.screen(true);
      // deno-lint-ignore no-control-regex
      assert.doesNotMatch(colour, /\x1b\[(?!0?m|39m|49m)[\d;]*m/, "no colours or attributes under NO_COLOR");
      await stop(tmux);
      await tmux.assertRestored(exit).catch((e) => {
        throw new Error(`${way}: ${e.message}`);
      });
    }
  },
});

Deno.test("watch: not a terminal exits 2 with a hint", async () => {
  const out = await new Deno.Command(AGTOP[0], {
    args: AGTOP.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(out.code, 2);
  assert.equal(new TextDecoder().decode(out.stdout), "");
  assert.equal(new TextDecoder().decode(out.stderr).trim(), "agtop: watch needs a terminal (try 'agtop ls')");
});

Deno.test({
  name: "watch: `a` shows the sessions of a config file's [data_dirs] profile (the worker gets them)",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "agtop-watch-profiles-" });
    try {
      const tag = `wp${crypto.randomUUID().slice(0, 6)}`;
      const id = crypto.randomUUID();
      const dir = `${root}/claude-work/projects/-work-${tag}`;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.mkdir(`${root}/home`);
      const line = {
        type: "user",
        sessionId: id,
        cwd: `/work/${tag}`,
        timestamp: new Date().toISOString(),
        message: { role: "user", content: "profile prompt" },
      };
      await Deno.writeTextFile(`${dir}/${id}.jsonl`, JSON.stringify(line) + "\n");
      await Deno.writeTextFile(`${root}/config.toml`, `[data_dirs]\nclaude = ["${root}/claude-work"]\n`);
      const env = { HOME: `${root}/home`, AGTOP_CONFIG: `${root}/config.toml` };
      await using tmux = await Tmux.start([...AGTOP, "--interval", "0.5", "--filter", tag], 120, 30, env);
      await tmux.waitFor("the header", (s) => /^agtop · /.test(s));
      await tmux.keys("a");
      const screen = await tmux.waitFor("the profile's session", (s) => rowOf(s, tag) !== undefined);
      assert.match(rowOf(screen, tag)!, /done\s+(?:\d+[smhd]\s+)?Claude Code/);
      await tmux.keys("q");
      await tmux.assertRestored(0);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
