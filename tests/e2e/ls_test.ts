import assert from "node:assert/strict";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { csvRecords } from "../support/csv.ts";

const skip = fakesUnavailable();
if (skip) console.log(`ls end-to-end tests skipped: ${skip}`);

const NODE_SLEEP = "setInterval(() => {}, 1 << 30);\n";

interface Built {
  world: FakeWorld;
  claude: { pid: number; cwd: string; tool: number };
  codex: { launcher: number; main: number; daemon: number; cwd: string };
  gemini: { launcher: number; main: number; cwd: string };
}

/** Three agents shaped the way they really run, each in its own project. */
async function buildWorld(): Promise<Built> {
  const world = await FakeWorld.create();
  // Claude Code: native binary started through node_modules/.bin, with a running Bash tool child.
  const claudeExe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
  Deno.symlinkSync(claudeExe, world.path("node_modules/.bin/claude"));
  const claudeCwd = world.dir("work/claude-proj");
  const claude = world.spawn(`${world.root}/node_modules/.bin/claude`, ["--dangerously-skip-permissions"], {
    cwd: claudeCwd,
    env: { AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sleep", "300"] }]) },
  });
  const [tool] = await world.waitForDescendants(claude.pid, 1);

  // Codex: node shim → native TUI → managed app-server daemon.
  const nativeCodex = world.native(
    "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
  );
  const daemon = world.native("home/.codex/packages/app-server-daemon/releases/0.169.0/bin/codex");
  world.script(
    "node_modules/@openai/codex/bin/codex.js",
    `require("child_process").spawn(${
      JSON.stringify(nativeCodex)
    }, process.argv.slice(2), { stdio: "ignore" });\n` +
      NODE_SLEEP,
  );
  Deno.symlinkSync("../@openai/codex/bin/codex.js", world.path("node_modules/.bin/codex"));
  const codexCwd = world.dir("work/codex-proj");
  const codex = world.spawn("node", [`${world.root}/node_modules/.bin/codex`], {
    cwd: codexCwd,
    env: {
      AGTOP_FAKE_SPAWN: world.spawnFile([{
        argv: [daemon, "app-server", "--listen", "unix://", "--managed-daemon"],
      }]),
    },
  });
  const [codexMain, codexDaemon] = await world.waitForDescendants(codex.pid, 2);

  // Gemini CLI: node relaunches itself with a bigger heap.
  world.script(
    "node_modules/@google/gemini-cli/dist/index.js",
    `if (!process.env.GEMINI_CLI_NO_RELAUNCH) require("child_process").spawn(process.execPath,` +
      ` ["--max-old-space-size=4096", process.argv[1], ...process.argv.slice(2)],` +
      ` { stdio: "ignore", env: { ...process.env, GEMINI_CLI_NO_RELAUNCH: "true" } });\n` + NODE_SLEEP,
  );
  Deno.symlinkSync("../@google/gemini-cli/dist/index.js", world.path("node_modules/.bin/gemini"));
  const geminiCwd = world.dir("work/gemini proj");
  const gemini = world.spawn("node", [`${world.root}/node_modules/.bin/gemini`], { cwd: geminiCwd });
  const [geminiMain] = await world.waitForDescendants(gemini.pid, 1);
  return {
    world,
    claude: { pid: claude.pid, cwd: claudeCwd, tool },
    codex: { launcher: codex.pid, main: codexMain, daemon: codexDaemon, cwd: codexCwd },
    gemini: { launcher: gemini.pid, main: geminiMain, cwd: geminiCwd },
  };
}

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test({
  name: "ls finds agent-shaped processes: one row per agent in table, csv and json",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    const b = await buildWorld();
    await using _world = b.world;
    const mine = (a: Json) => typeof a.cwd === "string" && a.cwd.startsWith(b.world.root);

    const json = await runAgtop(["ls", "--format=json", "--sample", "100"]);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.schema, 1);
    assert.ok(doc.host.cpu_count >= 1);
    const agents: Json[] = doc.agents.filter(mine);
    assert.deepEqual(
      agents.map((a) => a.agent).sort(),
      ["claude", "codex", "gemini"],
      JSON.stringify(agents),
    );

    const claude = agents.find((a) => a.agent === "claude");
    assert.equal(claude.label, "Claude Code");
    assert.equal(claude.pid, b.claude.pid);
    assert.equal(claude.cwd, b.claude.cwd);
    assert.equal(claude.project, "claude-proj");
    assert.equal(claude.dangerous, true);
    assert.deepEqual(claude.dangerous_flags, ["--dangerously-skip-permissions"]);
    assert.deepEqual(claude.children.map((c: Json) => [c.pid, c.argv]), [[b.claude.tool, [
      "/bin/sleep",
      "300",
    ]]]);

    const codex = agents.find((a) => a.agent === "codex");
    assert.equal(codex.pid, b.codex.main, "the native TUI does the work");
    assert.equal(codex.cwd, b.codex.cwd);
    assert.deepEqual(
      codex.processes.map((p: Json) => [p.pid, p.role]).sort(),
      [[b.codex.launcher, "launcher"], [b.codex.daemon, "helper"]].sort(),
    );
    assert.ok(codex.rss_bytes > codex.processes[0].rss_bytes, "memory sums the folded processes");
    assert.equal(codex.dangerous, false);

    const gemini = agents.find((a) => a.agent === "gemini");
    assert.equal(gemini.pid, b.gemini.main, "the relaunched child does the work");
    assert.equal(gemini.project, "gemini proj");
    assert.deepEqual(gemini.processes.map((p: Json) => [p.pid, p.role]), [[b.gemini.launcher, "launcher"]]);

    const csv = await runAgtop(["ls", "--format", "csv", "--sample", "0"]);
    assert.equal(csv.code, 0, csv.stderr);
    const ours = csvRecords(csv.stdout).filter((r) => r.cwd.startsWith(b.world.root));
    assert.deepEqual(
      ours.map((r) => Number(r.pid)).sort(),
      [b.claude.pid, b.codex.main, b.gemini.main].sort(),
    );

    const table = await runAgtop(["ls", "--sample", "0", "--filter", b.world.root.split("/").pop()!], {
      COLUMNS: "200",
    });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^STATUS\s+(?:FOR\s+)?AGENT\s+PID\s+PROJECT/);
    assert.equal(lines.length, 5, table.stdout);
    const expected: [string, number][] = [["Claude Code!", b.claude.pid], ["Codex", b.codex.main], [
      "Gemini CLI",
      b.gemini.main,
    ]];
    for (const [label, pid] of expected) {
      assert.ok(
        lines.some((l) => l.includes(`${label}  `) && new RegExp(`\\s${pid}\\s`).test(l)),
        `${label}\n${table.stdout}`,
      );
    }
    assert.match(lines[4], /^3 agents/);
  },
});

Deno.test({
  name: "custom matchers add agents; --top and --sort shape the list",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const exe = world.native("opt/robo/bin/robo-agent");
    const cwd = world.dir("robo-proj");
    const p = world.spawn(exe, ["--task", "fix"], { cwd });
    const res = await runAgtop(["ls", "-o", "json", "--sample", "0", "-m", "Robo=robo-agent --task"]);
    assert.equal(res.code, 0, res.stderr);
    const robo = JSON.parse(res.stdout).agents.find((a: Json) => a.pid === p.pid);
    assert.equal(robo?.label, "Robo");
    const viaEnv = await runAgtop(["ls", "-o", "json", "--sample", "0"], {
      AGTOP_MATCH: "Other=nothing-here; Robo2=robo-agent",
    });
    assert.equal(JSON.parse(viaEnv.stdout).agents.find((a: Json) => a.pid === p.pid)?.label, "Robo2");
    const top = await runAgtop(["ls", "-o", "json", "--sample", "0", "--top", "1", "-m", "Robo=robo-agent"]);
    assert.equal(JSON.parse(top.stdout).agents.length, 1);
    const matchers = await runAgtop(["matchers", "-m", "Robo=robo-agent"]);
    assert.equal(matchers.code, 0);
    assert.match(matchers.stdout, /claude\s+Claude Code/);
    assert.match(matchers.stdout, /custom\s+Robo/);
  },
});

Deno.test("bad input: one-line errors and exit status 2", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["ls", "--format", "xml"],
      /invalid value 'xml' for --format \(expected table, csv, json, openmetrics, prometheus\)/,
    ],
    [["ls", "--bogus"], /unknown option '--bogus'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["ls", "--top", "many"], /invalid value 'many' for --top/],
    [["ls", "--sample", "-5"], /--sample/],
    [["ls", "-m", "x=("], /invalid --match "x=\("/],
    [["ls", "-m", "nolabel"], /invalid --match "nolabel"/],
    [["ls", "--format"], /needs a value/],
    [["help", "nope"], /unknown command 'nope'/],
  ];
  for (const [args, message] of cases) {
    const r = await runAgtop(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    const [first] = r.stderr.split("\n");
    assert.match(first, /^agtop: /);
    assert.match(first, message);
  }
  const env = await runAgtop(["ls"], { AGTOP_MATCH: "bad=[" });
  assert.equal(env.code, 2);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.toml`, '[models."my-model"]\ninput = 3.0\noutput = "lots"\n');
    await Deno.writeTextFile(`${dir}/broken.toml`, '[models."my-model"\ninput = 3.0\n');
    for (
      const [file, message] of [["bad.toml", /bad\.toml:3: /], ["broken.toml", /broken\.toml:1: /]] as const
    ) {
      for (
        const run of [
          runAgtop(["ls", "--prices", `${dir}/${file}`]),
          runAgtop(["ls"], { AGTOP_PRICES: `${dir}/${file}` }),
        ]
      ) {
        const r = await run;
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr.split("\n")[0], /^agtop: /);
        assert.match(r.stderr.split("\n")[0], message);
      }
    }
    const missing = await runAgtop(["ls", "--prices", `${dir}/nope.toml`]);
    assert.equal(missing.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--version, help and per-command help", async () => {
  const v = await runAgtop(["--version"]);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^agtop \d+\.\d+\.\d+/);
  const help = await runAgtop(["--help"]);
  assert.match(help.stdout, /Usage: agtop \[COMMAND\]/);
  assert.match(help.stdout, /ls\s+list the running coding agents/);
  const lsHelp = await runAgtop(["ls", "--help"]);
  assert.match(lsHelp.stdout, /--format FMT/);
  assert.match(lsHelp.stdout, /--sample MS/);
  const viaHelp = await runAgtop(["help", "ls"]);
  assert.equal(viaHelp.stdout, lsHelp.stdout);
});
