import assert from "node:assert/strict";
import type { ProcessInfo } from "../../platform/types.ts";
import { VENDORS } from "../../agents/vendors/mod.ts";
import { detect, type Detection, resolveScript } from "../../agents/detect.ts";
import { MatchSpecError, parseMatchers } from "../../agents/custom.ts";
import { dangerousFlags } from "../../agents/danger.ts";
import { entry, firstPositional } from "../../agents/recognise.ts";
import { makeProcess as proc } from "../support/agents.ts";

const HOME = "/home/me";
/** `npm install --prefix DIR` layout, as in process-signatures.md. */
const NM = `${HOME}/lab/node_modules`;
const NPM_BIN = `${NM}/.bin`;
const NODE = "/usr/bin/node";

/** `node SCRIPT ARGS…` as started from a shell. */
function node(pid: number, ppid: number, script: string, ...args: string[]): ProcessInfo {
  return proc(pid, ppid, "node", NODE, ["node", script, ...args]);
}

/** A script resolver backed by a symlink table (script as written → real path). */
function links(table: Record<string, string>): (p: ProcessInfo) => string | null {
  return (p) => {
    const e = entry(p.argv);
    return e?.kind === "script" ? table[p.argv[e.index]] ?? null : null;
  };
}

/** The `id:role` the built-in vendors give one process, or null. */
function classify(p: ProcessInfo, script: string | null = null): string | null {
  for (const v of VENDORS) {
    const role = v.recognise(p, script);
    // The explaining recogniser (agtop doctor) must agree with the one every tick runs.
    assert.equal(v.explain?.(p, script)?.role ?? null, role, `${v.id} explains ${p.argv.join(" ")} alike`);
    if (role) return `${v.id}:${role}`;
  }
  return null;
}

/** A detection as plain pids: easy to compare. */
function shape(d: Detection) {
  return {
    vendor: d.vendor.id,
    main: d.main.pid,
    members: d.members.map((m) => `${m.process.pid}:${m.role}`),
    children: d.children.map((c) => c.pid),
  };
}

const SHELL = proc(100, 1, "bash", "/usr/bin/bash", ["-bash"]);

// --- recognisers -----------------------------------------------------------------------------------

Deno.test("Claude Code: npm native binary, installer version, old node cli.js, unreadable exe", () => {
  const exe = `${NM}/@anthropic-ai/claude-code/bin/claude.exe`;
  assert.equal(classify(proc(1, 0, "claude", exe, [`${NPM_BIN}/claude`, "--resume"])), "claude:main");
  const installed = `${HOME}/.local/share/claude/versions/2.1.197`;
  assert.equal(classify(proc(1, 0, "claude", installed, ["claude", "-p", "hi"])), "claude:main");
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/claude`), `${NM}/@anthropic-ai/claude-code/cli.js`),
    "claude:main",
  );
  assert.equal(classify(proc(1, 0, "claude", null, ["claude"])), "claude:main");
});

Deno.test("Claude Code: subcommands and background processes that are not sessions", () => {
  const exe = `${NM}/@anthropic-ai/claude-code/bin/claude.exe`;
  for (
    const args of [["mcp", "serve"], ["--bg-spare"], ["--bg-pty-host", "7"], ["agents"], [
      "--debug",
      "mcp",
      "list",
    ]]
  ) {
    assert.equal(classify(proc(1, 0, "claude", exe, [`${NPM_BIN}/claude`, ...args])), null, args.join(" "));
  }
  assert.equal(classify(proc(1, 0, "claude", exe, ["claude", "--model", "mcp", "hi"])), "claude:main");
});

Deno.test("Codex: node shim, native TUI, app-server daemons, sandbox and mcp-server", () => {
  const native = `${NM}/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex`;
  const daemon =
    `${HOME}/.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex`;
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/codex`), `${NM}/@openai/codex/bin/codex.js`),
    "codex:launcher",
  );
  assert.equal(classify(proc(1, 0, "codex", native, [native])), "codex:main");
  assert.equal(classify(proc(1, 0, "codex", native, [native, "exec", "fix the tests"])), "codex:main");
  assert.equal(
    classify(proc(1, 0, "codex", daemon, [daemon, "app-server", "--listen", "unix://", "--managed-daemon"])),
    "codex:helper",
  );
  assert.equal(
    classify(proc(1, 0, "codex", daemon, [daemon, "app-server", "daemon", "pid-update-loop"])),
    "codex:helper",
  );
  assert.equal(
    classify(proc(1, 0, "codex", native, ["codex", "-c", "model=o3", "app-server"])),
    "codex:helper",
  );
  assert.equal(classify(proc(1, 0, "codex-linux-san", native, ["codex-linux-sandbox", "--", "ls"])), null);
  assert.equal(classify(proc(1, 0, "codex", native, [native, "mcp-server"])), null);
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/codex`, "mcp-server"), `${NM}/@openai/codex/bin/codex.js`),
    null,
  );
});

Deno.test("Gemini CLI and Qwen Code: node on the package, before and after the self-relaunch", () => {
  const gemini = `${NM}/@google/gemini-cli/dist/index.js`;
  assert.equal(classify(node(1, 0, `${NPM_BIN}/gemini`), gemini), "gemini:main");
  const relaunch = proc(2, 1, "node", NODE, [NODE, "--max-old-space-size=8192", `${NPM_BIN}/gemini`]);
  assert.equal(classify(relaunch, gemini), "gemini:main");
  assert.equal(classify(relaunch, null), "gemini:main", "the bin name when the symlink cannot be resolved");
  assert.equal(classify(node(1, 0, `${NPM_BIN}/gemini`, "mcp", "list"), gemini), null);
  const qwen = `${NM}/@qwen-code/qwen-code/cli.js`;
  assert.equal(classify(node(1, 0, `${NPM_BIN}/qwen`), qwen), "qwen:main");
  assert.equal(classify(proc(2, 1, "node", NODE, [NODE, `${NPM_BIN}/qwen`]), qwen), "qwen:main");
});

Deno.test("OpenCode: native binary is an agent; serve, web and attach are not", () => {
  const exe = `${NM}/opencode-ai/bin/opencode.exe`;
  assert.equal(classify(proc(1, 0, "opencode", exe, [`${NPM_BIN}/opencode`])), "opencode:main");
  const installed = `${HOME}/.opencode/bin/opencode`;
  assert.equal(classify(proc(1, 0, "opencode", installed, ["opencode", "run", "hi"])), "opencode:main");
  for (
    const args of [["serve", "--port", "4096"], ["web"], ["attach", "http://localhost:4096"], [
      "--port",
      "1",
      "serve",
    ]]
  ) {
    assert.equal(classify(proc(1, 0, "opencode", exe, ["opencode", ...args])), null, args.join(" "));
  }
});

Deno.test("Copilot CLI: node loader and the native binary called MainThread", () => {
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/copilot`), `${NM}/@github/copilot/npm-loader.js`),
    "copilot:launcher",
  );
  const native = `${NM}/@github/copilot-linux-x64/copilot`;
  assert.equal(classify(proc(2, 1, "MainThread", native, [native])), "copilot:main");
  assert.equal(classify(proc(2, 1, "MainThread", null, [native])), "copilot:main", "exe unreadable");
});

Deno.test("Cursor Agent, Aider, Goose, Crush, Amp, Continue, Droid, Auggie, Kilo", () => {
  const cursorDir = `${HOME}/.local/share/cursor-agent/versions/2026.01.15-8a1b2c3`;
  const cursorNode = proc(1, 0, "node", `${cursorDir}/node`, [
    `${cursorDir}/node`,
    "--use-system-ca",
    `${cursorDir}/index.js`,
  ]);
  assert.equal(classify(cursorNode), "cursor:main");

  const venv = `${HOME}/.local/pipx/venvs/aider-chat`;
  const aider = proc(1, 0, "aider", `/usr/bin/python3.12`, [
    `${venv}/bin/python`,
    `${HOME}/.local/bin/aider`,
    "--model",
    "x",
  ]);
  assert.equal(classify(aider, `${venv}/bin/aider`), "aider:main");
  assert.equal(
    classify(proc(1, 0, "python3", "/usr/bin/python3.12", ["python3", "-m", "aider"])),
    "aider:main",
  );
  assert.equal(
    classify(proc(1, 0, "python", "/usr/bin/python3.12", ["python", "-m", "aider.main", "x.py"])),
    "aider:main",
  );

  const goose = `${HOME}/.local/bin/goose`;
  assert.equal(classify(proc(1, 0, "goose", goose, ["goose", "session"])), "goose:main");
  assert.equal(classify(proc(2, 1, "goose", goose, [goose, "mcp", "developer"])), "goose:helper");
  assert.equal(classify(proc(1, 0, "goose", goose, ["goose", "configure"])), null);
  assert.equal(classify(proc(1, 0, "goosed", "/opt/Goose/goosed", ["/opt/Goose/goosed", "agent"])), null);

  assert.equal(classify(proc(1, 0, "crush", `${HOME}/go/bin/crush`, ["crush"])), "crush:main");
  assert.equal(
    classify(node(1, 0, "/usr/local/bin/amp"), "/usr/local/lib/node_modules/@sourcegraph/amp/dist/main.js"),
    "amp:main",
  );
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/cn`), `${NM}/@continuedev/cli/dist/index.js`),
    "continue:main",
  );
  assert.equal(
    classify(proc(1, 0, "droid", `${HOME}/.local/bin/droid`, ["droid", "exec", "hi"])),
    "droid:main",
  );
  assert.equal(
    classify(node(1, 0, `${NPM_BIN}/auggie`), `${NM}/@augmentcode/auggie/augment.mjs`),
    "auggie:main",
  );
  assert.equal(classify(node(1, 0, `${NPM_BIN}/kilocode`), `${NM}/@kilocode/cli/dist/index.js`), "kilo:main");
  assert.equal(classify(node(1, 0, `${NPM_BIN}/kilo`)), "kilo:main");
});

Deno.test("not agents: a word in an argument, a name alone, runtimes running something else", () => {
  const cases: [ProcessInfo, string | null][] = [
    [proc(1, 0, "tail", "/usr/bin/tail", ["tail", "-f", `${HOME}/.claude/projects/-x/abc.jsonl`]), null],
    [proc(1, 0, "vim", "/usr/bin/vim", ["vim", "codex.md"]), null],
    [proc(1, 0, "less", "/usr/bin/less", ["less", `${HOME}/.local/share/claude/versions/2.1.197`]), null],
    [proc(1, 0, "grep", "/usr/bin/grep", ["grep", "-r", "gemini", "."]), null],
    [proc(1, 0, "code", "/usr/share/code/code", ["/usr/share/code/code", `${HOME}/src/opencode`]), null],
    [node(1, 0, "/srv/app/server.js", "--name", "claude"), "/srv/app/server.js"],
    [node(1, 0, "/srv/app/node_modules/.bin/vite"), "/srv/app/node_modules/vite/bin/vite.js"],
    [proc(1, 0, "python3", "/usr/bin/python3.12", ["python3", "-m", "http.server"]), null],
    [proc(1, 0, "python3", "/usr/bin/python3.12", ["python3", "-c", "import aider"]), null],
    [proc(1, 0, "node", NODE, ["node", "-e", "require('@openai/codex')"]), null],
    // a shell script named claude: comm says claude, but bash runs it
    [proc(1, 0, "claude", "/usr/bin/bash", ["/bin/bash", `${HOME}/bin/claude`]), null],
    // a Python script that sets its kernel name: the executable is no claude
    [proc(1, 0, "claude", "/usr/bin/python3.12", ["claude"]), null],
    [proc(1, 0, "MainThread", "/usr/lib/firefox/firefox", ["/usr/lib/firefox/firefox"]), null],
    [proc(2, 0, "kworker/0:1", null, []), null],
  ];
  for (const [p, script] of cases) assert.equal(classify(p, script), null, p.argv.join(" "));
});

Deno.test("a node process titled after the agent (old Claude Code set process.title)", () => {
  assert.equal(classify(proc(1, 0, "claude", NODE, ["claude"])), "claude:main");
});

// --- folding ---------------------------------------------------------------------------------------

Deno.test("Codex: shim → native TUI → two daemon helpers is ONE agent whose main is the TUI", () => {
  const native = `${NM}/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex`;
  const daemon =
    `${HOME}/.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex`;
  const procs = [
    SHELL,
    node(200, 100, `${NPM_BIN}/codex`),
    proc(201, 200, "codex", native, [native]),
    proc(202, 201, "codex", daemon, [daemon, "app-server", "--listen", "unix://", "--managed-daemon"]),
    proc(203, 201, "codex", daemon, [daemon, "app-server", "daemon", "pid-update-loop"]),
    proc(204, 202, "bash", "/usr/bin/bash", ["/bin/bash", "-lc", "cargo test"]),
    proc(205, 204, "cargo", `${HOME}/.cargo/bin/cargo`, ["cargo", "test"]),
    proc(206, 201, "codex-linux-san", native, ["codex-linux-sandbox", "--", "ls"]),
  ];
  const found = detect(procs, VENDORS, links({ [`${NPM_BIN}/codex`]: `${NM}/@openai/codex/bin/codex.js` }));
  assert.deepEqual(found.map(shape), [{
    vendor: "codex",
    main: 201,
    members: ["200:launcher", "202:helper", "203:helper"],
    children: [204, 205, 206],
  }]);
});

Deno.test("Gemini CLI: node → node self-relaunch is one agent whose main is the child", () => {
  const procs = [
    SHELL,
    node(300, 100, `${NPM_BIN}/gemini`),
    proc(301, 300, "node", NODE, [NODE, "--max-old-space-size=8192", `${NPM_BIN}/gemini`]),
    proc(302, 301, "bash", "/usr/bin/bash", ["/usr/bin/bash", "-c", "shopt -u promptvars; ls"]),
  ];
  const found = detect(
    procs,
    VENDORS,
    links({ [`${NPM_BIN}/gemini`]: `${NM}/@google/gemini-cli/dist/index.js` }),
  );
  assert.deepEqual(found.map(shape), [{
    vendor: "gemini",
    main: 301,
    members: ["300:launcher"],
    children: [302],
  }]);
});

Deno.test("Copilot CLI: node loader → MainThread native is one agent; a lone loader is the agent", () => {
  const native = `${NM}/@github/copilot-linux-x64/copilot`;
  const resolve = links({ [`${NPM_BIN}/copilot`]: `${NM}/@github/copilot/npm-loader.js` });
  const procs = [SHELL, node(400, 100, `${NPM_BIN}/copilot`), proc(401, 400, "MainThread", native, [native])];
  assert.deepEqual(detect(procs, VENDORS, resolve).map(shape), [
    { vendor: "copilot", main: 401, members: ["400:launcher"], children: [] },
  ]);
  assert.deepEqual(detect(procs.slice(0, 2), VENDORS, resolve).map(shape), [
    { vendor: "copilot", main: 400, members: [], children: [] },
  ]);
});

Deno.test("Claude Code: a Bash tool child is in children; claude inside claude's tool is two agents", () => {
  const exe = `${NM}/@anthropic-ai/claude-code/bin/claude.exe`;
  const procs = [
    proc(502, 501, "claude", exe, ["claude", "-p", "nested"]),
    SHELL,
    proc(500, 100, "claude", exe, [`${NPM_BIN}/claude`]),
    proc(501, 500, "bash", "/usr/bin/bash", [
      "/bin/bash",
      "-c",
      "source ~/.claude/shell-snapshots/s.sh; eval 'claude -p nested'",
    ]),
    proc(510, 500, "bash", "/usr/bin/bash", ["/bin/bash", "-c", "sleep 40"]),
    proc(511, 510, "sleep", "/usr/bin/sleep", ["sleep", "40"]),
    proc(503, 502, "bash", "/usr/bin/bash", ["/bin/bash", "-c", "ls"]),
  ];
  assert.deepEqual(detect(procs, VENDORS, () => null).map(shape), [
    { vendor: "claude", main: 500, members: [], children: [501, 502, 503, 510, 511] },
    { vendor: "claude", main: 502, members: [], children: [503] },
  ]);
});

Deno.test("helpers alone are no agent: orphaned Codex daemon, IDE-started app-server", () => {
  const daemon =
    `${HOME}/.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex`;
  const ide = `${HOME}/.vscode/extensions/openai.chatgpt-0.5.0/bin/linux-x86_64/codex`;
  const procs = [
    proc(1, 0, "systemd", "/usr/lib/systemd/systemd", ["/sbin/init"]),
    proc(600, 1, "codex", daemon, [daemon, "app-server", "--listen", "unix://", "--managed-daemon"]),
    proc(601, 600, "codex", daemon, [daemon, "app-server", "daemon", "pid-update-loop"]),
    proc(700, 1, "code", "/usr/share/code/code", ["/usr/share/code/code"]),
    proc(701, 700, "codex", ide, [ide, "app-server"]),
    proc(702, 700, "node", NODE, ["node", `${NPM_BIN}/codex`, "app-server"]),
  ];
  assert.deepEqual(detect(procs, VENDORS, () => null), []);
});

Deno.test("detections are sorted by main pid and unrelated processes give none", () => {
  const opencode = `${NM}/opencode-ai/bin/opencode.exe`;
  const procs = [
    proc(900, 100, "opencode", opencode, ["opencode"]),
    proc(800, 100, "crush", `${HOME}/go/bin/crush`, ["crush"]),
    SHELL,
    proc(850, 100, "vim", "/usr/bin/vim", ["vim", "codex.md"]),
  ];
  assert.deepEqual(detect(procs, VENDORS, () => null).map((d) => [d.vendor.id, d.main.pid]), [
    ["crush", 800],
    ["opencode", 900],
  ]);
  assert.deepEqual(detect([SHELL, procs[3]], VENDORS, () => null), []);
});

Deno.test("the first vendor in order claims a process", () => {
  const [mine] = parseMatchers(["mine=claude"]);
  const p = proc(1000, 100, "claude", "/usr/bin/claude", ["claude"]);
  assert.equal(detect([p], [mine, ...VENDORS], () => null)[0].vendor.id, "mine");
  assert.equal(detect([p], [...VENDORS, mine], () => null)[0].vendor.id, "claude");
});

Deno.test("resolveScript: real path of a runtime's script, null otherwise", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const pkg = `${dir}/node_modules/@google/gemini-cli/dist`;
    Deno.mkdirSync(pkg, { recursive: true });
    Deno.mkdirSync(`${dir}/node_modules/.bin`);
    Deno.writeTextFileSync(`${pkg}/index.js`, "");
    Deno.symlinkSync("../@google/gemini-cli/dist/index.js", `${dir}/node_modules/.bin/gemini`);
    const real = Deno.realPathSync(`${pkg}/index.js`);
    const bin = `${dir}/node_modules/.bin/gemini`;
    assert.equal(resolveScript(proc(1, 0, "node", NODE, [NODE, "--no-warnings", bin])), real);
    assert.equal(resolveScript(proc(1, 0, "node", NODE, [NODE, "--max-old-space-size=8192", bin])), real);
    assert.equal(resolveScript(proc(1, 0, "bun", "/usr/bin/bun", ["bun", "run", bin])), real);
    assert.equal(resolveScript(proc(1, 0, "node", NODE, [NODE, `${dir}/missing.js`])), null);
    assert.equal(
      resolveScript(proc(1, 0, "node", NODE, [NODE, "node_modules/.bin/gemini"])),
      null,
      "relative",
    );
    assert.equal(resolveScript(proc(1, 0, "python3", "/usr/bin/python3", ["python3", "-m", "aider"])), null);
    assert.equal(resolveScript(proc(1, 0, "cat", "/usr/bin/cat", ["cat", bin])), null);
    const found = detect([node(1, 0, bin)], VENDORS);
    assert.deepEqual(found.map((d) => d.vendor.id), ["gemini"], "detect resolves scripts by default");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("entry and firstPositional skip options and their values", () => {
  assert.deepEqual(entry(["node", "-r", "ts-node/register", "app.ts"]), { kind: "script", index: 3 });
  assert.deepEqual(entry(["python3.12", "-W", "ignore", "-u", "-m", "aider"]), { kind: "module", index: 5 });
  assert.deepEqual(entry(["deno", "run", "-A", "main.ts"]), { kind: "script", index: 3 });
  assert.equal(entry(["node"]), null);
  assert.equal(entry(["claude", "x.js"]), null);
  assert.equal(firstPositional(["--model", "opus", "mcp"], new Set(["--model"])), "mcp");
  assert.equal(firstPositional(["--", "-x"]), "-x");
  assert.equal(firstPositional(["-v"]), undefined);
});

// --- custom matchers -------------------------------------------------------------------------------

Deno.test("parseMatchers: LABEL=REGEX recognises matching command lines as main", () => {
  const [mine, eq] = parseMatchers(["my agent=python3? .*my_agent\\.py", "eq=a=b"]);
  assert.equal(mine.id, "my agent");
  assert.equal(mine.label, "my agent");
  assert.equal(
    mine.recognise(proc(1, 0, "python3", null, ["python3", "/opt/my_agent.py", "-v"]), null),
    "main",
  );
  assert.equal(mine.recognise(proc(1, 0, "vim", null, ["vim", "notes.md"]), null), null);
  assert.equal(
    mine.recognise(proc(Deno.pid, 0, "agtop", null, ["python3 /opt/my_agent.py"]), null),
    null,
    "not agtop itself",
  );
  assert.equal(eq.pattern.source, "a=b");
  assert.deepEqual(parseMatchers([]), []);
});

Deno.test("parseMatchers: bad specs throw a one-line MatchSpecError naming the spec", () => {
  const bad: [string, RegExp][] = [
    ["nolabel", /^invalid --match "nolabel": expected LABEL=REGEX$/],
    ["=x", /^invalid --match "=x": empty label$/],
    ["x=", /^invalid --match "x=": empty regular expression$/],
    ["x=(", /^invalid --match "x=\(": Invalid regular expression: /],
  ];
  for (const [spec, message] of bad) {
    assert.throws(() => parseMatchers(["ok=fine", spec]), (e: unknown) => {
      assert.ok(e instanceof MatchSpecError);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

// --- dangerous flags -------------------------------------------------------------------------------

Deno.test("dangerousFlags: permission bypasses as written, sudo above, not --full-auto", () => {
  const sudo = proc(90, 80, "sudo", "/usr/bin/sudo", ["sudo", "claude"]);
  const cases: [string[], string[]][] = [
    [["claude", "--dangerously-skip-permissions"], ["--dangerously-skip-permissions"]],
    [["claude", "--permission-mode", "bypassPermissions"], ["--permission-mode bypassPermissions"]],
    [["claude", "--permission-mode=bypassPermissions"], ["--permission-mode=bypassPermissions"]],
    [["claude", "--permission-mode", "acceptEdits"], []],
    [["codex", "--dangerously-bypass-approvals-and-sandbox"], ["--dangerously-bypass-approvals-and-sandbox"]],
    [["codex", "-s", "danger-full-access"], ["-s danger-full-access"]],
    [["codex", "--sandbox", "danger-full-access"], ["--sandbox danger-full-access"]],
    [["codex", "--sandbox=danger-full-access", "--yolo"], ["--sandbox=danger-full-access", "--yolo"]],
    [["codex", "--full-auto"], []],
    [["codex", "-s", "workspace-write"], []],
    [["node", `${NPM_BIN}/gemini`, "--approval-mode", "yolo"], ["--approval-mode yolo"]],
    [["node", `${NPM_BIN}/qwen`, "--approval-mode=yolo"], ["--approval-mode=yolo"]],
    [["node", `${NPM_BIN}/gemini`, "-y"], ["-y"]],
    [["python3", "aider", "--yes-always"], ["--yes-always"]],
    [["copilot", "--allow-all-tools"], ["--allow-all-tools"]],
    [["x", "--allow-dangerous", "--no-permissions"], ["--allow-dangerous", "--no-permissions"]],
    [["claude", "-p", "explain --dangerously-skip-permissions"], []],
    [["claude", "--", "--yolo"], []],
  ];
  for (const [argv, flags] of cases) assert.deepEqual(dangerousFlags(argv, []), flags, argv.join(" "));
  assert.deepEqual(dangerousFlags(["claude"], [SHELL, sudo]), ["sudo"]);
  assert.deepEqual(dangerousFlags(["claude", "--yolo"], [sudo]), ["--yolo", "sudo"]);
});
