/**
 * The config file: where it is, what a valid one gives, every way a file can be wrong (each a one-line
 * error naming the line), and what `hidden` and `columns` change in `agtop ls`.
 */
import assert from "node:assert/strict";
import { type Config, configPath, expandHome, loadConfig } from "../../cli/config.ts";
import { TomlFileError } from "../../platform/toml_file.ts";
import { formatLs, type LsOptions } from "../../cli/ls.ts";
import { THEME_NAMES } from "../../render/themes.ts";
import { COLUMNS } from "../../render/columns.ts";
import { makeAgent, makeSnapshot } from "../support/agents.ts";
import { runAgtop } from "../support/fakes.ts";

const dir = await Deno.makeTempDir({ prefix: "agtop-config-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const HOME = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "";
let count = 0;

/** Writes `text` to a new config file and returns its path. */
async function file(text: string): Promise<string> {
  const path = `${dir}/config-${++count}.toml`;
  await Deno.writeTextFile(path, text);
  return path;
}

/** Runs `fn` with environment variables set (undefined: unset), then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.keys(vars).map((k) => [k, Deno.env.get(k)] as const);
  const put = (
    k: string,
    v: string | undefined,
  ) => (v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v));
  for (const [k, v] of Object.entries(vars)) put(k, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) put(k, v);
  }
}

Deno.test("config: a valid file with every key", async () => {
  const path = await file(`# agtop
theme = "nord"
interval = 2
hidden = ["copilot", "Aider"]
columns = [
  "status",
  "agent",
  "project",
  "doing",
]
private = true

[data_dirs]
claude = ["~/.claude-work", "/srv/claude-personal"]
codex = ['~']

[notify]
mode = "bell"
on = ["waiting", "alert"]

[alerts]
cost_per_hour = 5
cost_per_day = 40
context_percent = 85
tokens_per_minute = 50000
tool_minutes = 10
repeated_calls = 5
stalled_minutes = 15

[serve]
hosts = ["metrics.example.org"]
token_file = "~/.agtop-token"
tls_cert = "/etc/agtop/cert.pem"
tls_key = "/etc/agtop/key.pem"
`);
  const want: Config = {
    path,
    theme: "nord",
    interval: 2,
    hidden: ["copilot", "Aider"],
    columns: ["status", "agent", "project", "doing"],
    dataDirs: { claude: [`${HOME}/.claude-work`, "/srv/claude-personal"], codex: [HOME] },
    private: true,
    notifyMode: "bell",
    notifyOn: ["waiting", "alert"],
    alerts: {
      costPerHour: 5,
      costPerDay: 40,
      contextPercent: 85,
      tokensPerMinute: 50000,
      toolMinutes: 10,
      repeatedCalls: 5,
      stalledMinutes: 15,
    },
    serve: {
      hosts: ["metrics.example.org"],
      tokenFile: `${HOME}/.agtop-token`,
      tlsCert: "/etc/agtop/cert.pem",
      tlsKey: "/etc/agtop/key.pem",
    },
  };
  assert.deepEqual(await loadConfig(path), want);
  assert.deepEqual(await loadConfig(await file("interval = 0.2\n")), {
    path: `${dir}/config-${count}.toml`,
    theme: null,
    interval: 0.2,
    hidden: [],
    columns: null,
    dataDirs: {},
    private: null,
    notifyMode: null,
    notifyOn: null,
    alerts: {},
    serve: { hosts: [], tokenFile: null, tlsCert: null, tlsKey: null },
  });
  // Dotted keys and inline tables are TOML too.
  const dotted = await loadConfig(await file('data_dirs.codex = ["/a"]\n'));
  assert.deepEqual(dotted?.dataDirs, { codex: ["/a"] });
  const inline = await loadConfig(await file('data_dirs = { claude = ["/b"] }\n'));
  assert.deepEqual(inline?.dataDirs, { claude: ["/b"] });
});

Deno.test("config: where the file is, and a missing file", async () => {
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  assert.equal(configPath(env({ AGTOP_CONFIG: "/x.toml", XDG_CONFIG_HOME: "/xdg", HOME: "/h" })), "/x.toml");
  assert.equal(configPath(env({ XDG_CONFIG_HOME: "/xdg", HOME: "/h" })), "/xdg/agtop/config.toml");
  assert.equal(configPath(env({ HOME: "/h" })), "/h/.config/agtop/config.toml");
  assert.equal(configPath(env({ USERPROFILE: "C:\\Users\\me" })), "C:\\Users\\me/.config/agtop/config.toml");
  assert.equal(configPath(env({})), null);

  assert.equal(await loadConfig(`${dir}/nothing-here.toml`), null);
  const empty = await Deno.makeTempDir({ dir });
  assert.equal(await withEnv({ AGTOP_CONFIG: undefined, XDG_CONFIG_HOME: empty }, () => loadConfig()), null);
  const found = await file('theme = "light"\n');
  assert.equal((await withEnv({ AGTOP_CONFIG: found }, () => loadConfig()))?.theme, "light");
  // A file the user named on purpose must exist.
  await assert.rejects(
    () => withEnv({ AGTOP_CONFIG: `${dir}/typo.toml` }, () => loadConfig()),
    (e) => e instanceof TomlFileError && e.message.startsWith(`${dir}/typo.toml: cannot read: `),
  );
});

Deno.test("config: ~ expansion", () => {
  const env = (k: string) => ({ HOME: "/home/me" } as Record<string, string>)[k];
  assert.equal(expandHome("~", env), "/home/me");
  assert.equal(expandHome("~/.claude-work", env), "/home/me/.claude-work");
  assert.equal(expandHome("~other/x", env), "~other/x");
  assert.equal(expandHome("/abs/~/x", env), "/abs/~/x");
  assert.equal(
    expandHome("~\\x", (k) => (k === "USERPROFILE" ? "C:\\Users\\me" : undefined)),
    "C:\\Users\\me\\x",
  );
  assert.equal(expandHome("~/x", () => undefined), null);
});

Deno.test("config: every bad input is one line naming the file and the line", async () => {
  const cases: [string, number, string][] = [
    ['theme = "nord"\ninterval = \n', 2, "invalid value"],
    [
      'theme = "nord"\n\ncolour = "red"\n',
      3,
      'unknown key "colour" (expected theme, interval, hidden, columns, private, data_dirs, notify, alerts, serve)',
    ],
    ['# x\ntheme = "solarized"\n', 2, `unknown theme 'solarized' (expected ${THEME_NAMES.join(", ")})`],
    ["theme = 3\n", 1, "theme must be a theme's name, not 3"],
    ["interval = 0.1\n", 1, "interval must be seconds ≥ 0.2, not 0.1"],
    ['\ninterval = "fast"\n', 2, 'interval must be seconds ≥ 0.2, not "fast"'],
    ['hidden = "copilot"\n', 1, 'hidden must be an array of agent ids or labels, not "copilot"'],
    ['hidden = [\n  "codex",\n  "",\n]\n', 3, 'hidden must hold agent ids or labels, not ""'],
    [
      'columns = [\n  "status",\n  "bogus",\n]\n',
      3,
      `unknown column "bogus" (expected ${COLUMNS.map((c) => c.id).join(", ")})`,
    ],
    ['columns = ["cpu", "mem", "cpu"]\n', 1, 'column "cpu" given twice'],
    ["columns = []\n", 1, "columns must name at least one column"],
    ["columns = [1]\n", 1, "columns must hold column ids, not 1"],
    ['private = "yes"\n', 1, 'private must be true or false, not "yes"'],
    ["private = 2026-11-24\n", 1, "private must be true or false, not a date"],
    ['data_dirs = "~/.claude"\n', 1, 'data_dirs must be a table, not "~/.claude"'],
    [
      'theme = "nord"\n[data_dirs]\nclaude = ["/a"]\nkilo = ["/b"]\n',
      4,
      'data_dirs: unknown agent "kilo" (expected claude, codex, gemini, qwen, copilot, goose, continue, droid, pi, omp, openclaw, kimi, hermes)',
    ],
    [
      '[data_dirs]\nclaude = [\n  "/a",\n  "relative/dir",\n]\n',
      4,
      'data_dirs.claude: "relative/dir" must be absolute or start with ~/',
    ],
    ['[data_dirs]\ncodex = "/a"\n', 2, 'data_dirs.codex must be an array of directories, not "/a"'],
    [
      'data_dirs.claude = ["~other/x"]\n',
      1,
      'data_dirs.claude: "~other/x" must be absolute or start with ~/',
    ],
    ["data_dirs = { claude = [3] }\n", 1, "data_dirs.claude must hold directories, not 3"],
    [
      '[serve]\ntoken = "x"\n',
      2,
      'serve: unknown key "token" (expected hosts, token_file, tls_cert, tls_key)',
    ],
    ['[serve]\ntls_cert = "/c.pem"\n', 1, "serve: tls_cert and tls_key go together"],
    ['[serve]\ntoken_file = "token"\n', 2, 'serve.token_file: "token" must be absolute or start with ~/'],
    ["[serve]\nhosts = [1]\n", 2, "serve.hosts must hold host names, not 1"],
  ];
  for (const [text, line, detail] of cases) {
    const path = await file(text);
    await assert.rejects(() => loadConfig(path), (e) => {
      assert.ok(e instanceof TomlFileError, String(e));
      assert.equal(e.line, line, `${JSON.stringify(text)}: ${e.message}`);
      assert.ok(e.message.startsWith(`${path}:${line}: ${detail}`), e.message);
      assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
      return true;
    });
  }
});

const LS: LsOptions = { format: "table", filter: "", sort: "pid", reverse: false, top: null, noColor: true };

Deno.test("config in ls: hidden agents by id or label, columns in the order given", async () => {
  const snap = makeSnapshot([
    makeAgent({ pid: 1, key: "1:1" }),
    makeAgent({ pid: 2, key: "2:1", agent: "codex", label: "Codex", project: "api" }),
    makeAgent({ pid: 3, key: "3:1", agent: "copilot", label: "Copilot CLI" }),
  ]);
  const json = JSON.parse(
    await formatLs(snap, { ...LS, format: "json", hidden: ["COPILOT", "claude code"] }),
  );
  assert.deepEqual(json.agents.map((a: { pid: number }) => a.pid), [2]);
  assert.equal(json.aggregates.agents, 1, "totals leave hidden agents out");

  const table = await formatLs(snap, { ...LS, columns: ["pid", "status", "project"] });
  const lines = table.split("\n");
  assert.equal(lines[0], "PID  STATUS  PROJECT");
  assert.equal(lines[2], "  2  ○ idle  api");
  assert.match(await formatLs(snap, LS), /^STATUS {2}FOR {2}AGENT/, "all columns without the setting");
});

Deno.test("config through main.ts: a bad file is one line and exit status 2; columns change the table", async () => {
  const bad = await file('theme = "nord"\ncolumns = ["status", "nope"]\n');
  const res = await runAgtop(["ls", "--sample", "0"], { AGTOP_CONFIG: bad });
  assert.equal(res.code, 2);
  assert.ok(res.stderr.startsWith(`agtop: ${bad}:2: unknown column "nope" (expected `), res.stderr);

  const good = await file('columns = ["agent", "status"]\nhidden = ["nothing-matches"]\n');
  const ok = await runAgtop(["ls", "--sample", "0"], { AGTOP_CONFIG: good });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^(AGENT {2,}STATUS\n|No coding agents running\.\n)/);
});

Deno.test("data_dirs profiles become the environment each agent reads its data directory from", async () => {
  const { profileEnvs } = await import("../../agents/profiles.ts");
  assert.deepEqual(profileEnvs({ claude: ["/a", "/b"], codex: ["/c"] }), {
    claude: [{ CLAUDE_CONFIG_DIR: "/a" }, { CLAUDE_CONFIG_DIR: "/b" }],
    codex: [{ CODEX_HOME: "/c" }],
  });
});

Deno.test("data_dirs through main.ts: ls --all finds the sessions of a second Claude profile", async () => {
  const { runAgtop } = await import("../support/fakes.ts");
  const root = await Deno.makeTempDir({ prefix: "agtop-profiles-" });
  try {
    const id = "44444444-4444-4444-8444-444444444444";
    const dir = `${root}/claude-work/projects/-work-proj`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.mkdir(`${root}/home`);
    const line = {
      type: "user",
      sessionId: id,
      cwd: "/work/proj",
      timestamp: new Date().toISOString(),
      message: { role: "user", content: "profile prompt" },
    };
    await Deno.writeTextFile(`${dir}/${id}.jsonl`, JSON.stringify(line) + "\n");
    await Deno.writeTextFile(`${root}/config.toml`, `[data_dirs]\nclaude = ["${root}/claude-work"]\n`);
    const env = { HOME: `${root}/home`, AGTOP_CONFIG: `${root}/config.toml` };
    const res = await runAgtop(["ls", "--all", "--format", "json", "--sample", "0"], env);
    assert.equal(res.code, 0, res.stderr);
    const rows = JSON.parse(res.stdout).agents.filter((a: { session: { id: string } | null }) =>
      a.session?.id === id
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, "done");
    assert.equal(rows[0].session.last_prompt, "profile prompt");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("config: [notify] and [alerts] refuse what they cannot use, with the line", async () => {
  for (
    const [text, message] of [
      ['[notify]\nmode = "loud"\n', /:2: notify.mode must be one of on, quiet, bell, off, not "loud"/],
      ['[notify]\non = ["waiting", "typing"]\n', /:2: notify.on: unknown change "typing"/],
      ["[notify]\nsound = true\n", /:2: unknown key "notify.sound"/],
      ["[alerts]\ncost_per_hour = -1\n", /:2: alerts.cost_per_hour must be a number > 0, not -1/],
      ["[alerts]\nbudget = 3\n", /:2: unknown key "alerts.budget" \(expected cost_per_hour, /],
    ] as const
  ) {
    const path = await file(text);
    await assert.rejects(() => loadConfig(path), message);
  }
});
