/**
 * `--private`: no text that can hold what the user works on reaches any output. A snapshot whose every
 * free-text field holds its own `SECRET-…` marker goes through `redact` and every renderer (table, CSV,
 * JSON, the live view's table and detail view); then a real fake agent with a Claude transcript full of
 * secrets goes through `main.ts ls --private` in all three formats.
 */
import assert from "node:assert/strict";
import type { Agent, AgentProcess, Snapshot } from "../../agents/types.ts";
import type { SessionFacts } from "../../agents/session.ts";
import { HIDDEN, Pseudonyms, redact, redactAggregates } from "../../render/privacy.ts";
import { aggregate } from "../../agents/aggregates.ts";
import { renderTable } from "../../render/table.ts";
import { renderCsv } from "../../render/csv.ts";
import { renderJson } from "../../render/json.ts";
import { loadStyle } from "../../render/style.ts";
import { detailLines, detailTitle } from "../../render/watch/detail.ts";
import { lineText } from "../../render/watch/paint.ts";
import { renderFrame } from "../../render/watch/frame.ts";
import { initialState } from "../../render/watch/state.ts";
import { projectDirName } from "../../agents/vendors/claude/sessions.ts";
import { makeAgent, makeSnapshot } from "../support/agents.ts";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";

const T = Date.parse("2026-11-24T10:00:00Z");

function proc(role: AgentProcess["role"], pid: number): AgentProcess {
  return {
    pid,
    ppid: 100,
    name: "x",
    argv: ["x", "y"],
    role,
    state: "sleeping",
    startedAt: T,
    cpuPercent: 1,
    rssBytes: 1024,
    threads: 1,
  };
}

function tool() {
  return { name: "x", arg: "x", id: "x", startedAt: T };
}

/** Session facts with every field set, optional ones included. */
function fullSession(): SessionFacts {
  const tokens = { input: 1, output: 2, cacheRead: 3, cacheWrite: 4, reasoning: 5 };
  return {
    vendor: "x",
    id: "x",
    path: "x",
    linkedBy: "cwd",
    cwd: "x",
    gitBranch: "x",
    title: "x",
    model: "x",
    lastPrompt: "x",
    currentTask: "x",
    currentTool: tool(),
    subagents: [{
      id: "x",
      type: "x",
      description: "x",
      status: "running",
      model: "x",
      tokens: { ...tokens },
      currentTool: tool(),
      lastActivity: T,
    }],
    turn: "working",
    stopReason: "x",
    startedAt: T,
    lastActivity: T,
    tokens: { ...tokens },
    tokensByModel: { "LABEL-model-key": { ...tokens } },
    contextTokens: 100,
    contextWindow: 1000,
    activity: [{ at: T, kind: "prompt", text: "x" }, { at: T, kind: "tool", text: "x" }],
    malformedLines: 0,
    waitingFor: "x",
    costUsd: 0.5,
    rateLimits: [{ name: "x", usedPercent: 50, windowMinutes: 300, resetsAt: T, plan: "x" }],
    limitedUntil: null,
    lastRequestAt: T,
    cacheTtlMs: 300_000,
    recentUsage: [{ at: T, model: "x", tokens: { ...tokens }, requests: 1 }],
    blockStart: T,
  };
}

/** An agent with every field set (every list non-empty). */
function fullAgent(pid: number, startedAt: number): Agent {
  return makeAgent({
    key: "x",
    pid,
    startedAt,
    exe: "x",
    argv: ["x", "y"],
    cwd: "x",
    project: "x",
    dangerous: true,
    dangerousFlags: ["x"],
    processes: [proc("launcher", pid + 1)],
    children: [proc("child", pid + 2)],
    writingFiles: ["x", "x"],
    ports: [{ protocol: "tcp", address: "x", port: 3000, pid }],
    tty: "x",
    terminal: "x",
    git: { root: "x", branch: "x", detached: "x", worktree: true },
    orphans: [proc("orphan", pid + 3)],
    session: fullSession(),
    status: "busy",
    costUsd: 1,
    costBasis: "api",
    contextLimit: 1000,
    contextPercent: 10,
    phrase: "x",
    cache: { lastRequestAt: T, ttlMs: 1, warm: true, expiresAt: T, coldCostUsd: 1, warmCostUsd: 0.1 },
    burn: { at: T, tokensPerMin: 1, usdPerHour: 1, block: null },
  });
}

/** Fields that hold one of a fixed set of words: kept, and they must stay valid for the renderers. */
const WORDS = new Set(["state", "status", "role", "turn", "kind", "protocol", "costBasis", "linkedBy"]);

/** Labels `--private` keeps (documented in render/privacy.ts): they get a `LABEL-…` marker. */
const LABELS = new Set([
  "version",
  "pricesDate",
  "host.hostname",
  "host.os",
  "host.arch",
  "agents.agent",
  "agents.label",
  "agents.name",
  "agents.dangerousFlags",
  "agents.processes.name",
  "agents.children.name",
  "agents.orphans.name",
  "agents.ports.address",
  "agents.session.vendor",
  "agents.session.id",
  "agents.session.model",
  "agents.session.stopReason",
  "agents.session.currentTool.name",
  "agents.session.currentTool.id",
  "agents.session.subagents.id",
  "agents.session.subagents.type",
  "agents.session.subagents.model",
  "agents.session.subagents.currentTool.name",
  "agents.session.subagents.currentTool.id",
  "agents.session.rateLimits.name",
  "agents.session.rateLimits.plan",
  "agents.session.recentUsage.model",
]);

let n = 0;

/**
 * Puts a marker in every string of `value` (found at `root`): `SECRET-<path>#<n>` for text that must
 * go, `LABEL-<path>` for kept labels; fixed words and markers stay. Returns the SECRET markers used.
 */
function markAll(value: unknown, root: string[]): string[] {
  const secrets: string[] = [];
  const walk = (v: unknown, path: string[]): unknown => {
    const field = path.filter((p) => !/^\d+$/.test(p)).join(".");
    if (typeof v === "string") {
      if (WORDS.has(path.at(-1)!) || /^(SECRET|LABEL)-/.test(v)) return v;
      if (LABELS.has(field)) return `LABEL-${field}`;
      const marker = `SECRET-${field}#${++n}`;
      secrets.push(marker);
      return marker;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => (v[i] = walk(x, [...path, String(i)])));
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = walk(x, [...path, k]);
    }
    return v;
  };
  walk(value, root);
  return secrets;
}

/** Two agents in two projects and one more in the first, every text field marked. */
function secretSnapshot(): { snap: Snapshot; secrets: string[] } {
  const agents = [fullAgent(500, T + 2000), fullAgent(400, T), fullAgent(600, T + 1000)];
  const secrets = markAll(agents, ["agents"]);
  // The third agent works in the first one's project.
  secrets.splice(secrets.indexOf(agents[2].project!), 1);
  agents[2].project = agents[0].project;
  const snap = { ...makeSnapshot(agents), pricesDate: "x" };
  markAll(snap, []);
  return { snap, secrets };
}

async function everyOutput(snap: Snapshot): Promise<string> {
  const plain = await loadStyle(false);
  const state = initialState({ sort: "cpu", reverse: false, filter: "", all: true });
  const size = { columns: 400, rows: 60, style: plain, interval: 1.5 };
  return [
    renderTable(snap, { width: Infinity, style: plain }),
    renderCsv(snap),
    renderJson(snap),
    ...renderFrame(snap, state, size),
    ...renderFrame(snap, { ...state, group: true }, size),
    ...snap.agents.flatMap((a) => [...detailLines(a, snap.takenAt), detailTitle(a)].map(lineText)),
    ...snap.agents.map((a) => a.phrase),
  ].join("\n");
}

Deno.test("redact: no marked secret reaches the table, CSV, JSON or the live view", async () => {
  const { snap, secrets } = secretSnapshot();
  const before = structuredClone(snap);
  const raw = renderJson(snap);
  for (const s of secrets) assert.ok(raw.includes(s), `the fixture shows ${s} without --private`);

  const out = await everyOutput(redact(snap));
  const leaked = out.match(/SECRET-[^#]+#\d+/g);
  assert.equal(leaked, null, `leaked: ${leaked?.join(", ")}`);
  assert.ok(!out.includes("SECRET"));
  assert.deepEqual(snap, before, "the input is not changed");

  // Labels stay, so the output is still useful.
  for (
    const label of [
      "agents.label",
      "agents.session.model",
      "agents.session.currentTool.name",
      "host.hostname",
    ]
  ) {
    assert.ok(out.includes(`LABEL-${label}`), label);
  }
});

Deno.test("redact: what replaces the private values", () => {
  const { snap } = secretSnapshot();
  const names = new Pseudonyms();
  const r = redact(snap, names);
  const [a, b, c] = r.agents;
  // Projects are numbered by their oldest agent: b (T) first, then c and a share the other project.
  assert.deepEqual([a.project, b.project, c.project], ["project-2", "project-1", "project-2"]);
  const totals = redactAggregates(aggregate(snap.agents), names);
  assert.deepEqual(totals.byProject.map((p) => [p.project, p.agents]).sort(), [
    ["project-1", 1],
    ["project-2", 2],
  ]);
  assert.deepEqual(aggregate(r.agents).byProject.map((p) => [p.project, p.agents]).sort(), [
    ["project-1", 1],
    ["project-2", 2],
  ], "the totals of the redacted agents name the same pseudonyms");
  assert.deepEqual([a.key, b.key, c.key], ["private-1", "private-2", "private-3"]);
  assert.equal(a.cwd, null);
  assert.equal(a.exe, null);
  assert.deepEqual(a.argv, []);
  assert.deepEqual(a.children[0].argv, []);
  assert.equal(a.children[0].name, "LABEL-agents.children.name");
  assert.deepEqual(a.writingFiles, [HIDDEN, HIDDEN], "the count of files stays");
  assert.deepEqual(a.git, { root: "", branch: HIDDEN, detached: HIDDEN, worktree: true });
  assert.equal(a.tty, null);
  assert.equal(a.terminal, "terminal");
  assert.equal(a.session!.currentTool!.arg, "");
  assert.equal(a.session!.waitingFor, "input");
  assert.deepEqual(a.session!.activity.map((e) => [e.kind, e.text]), [["prompt", ""], ["tool", ""]]);
  assert.equal(a.phrase, "using LABEL-agents.session.currentTool.name");
  assert.equal(a.ports[0].port, 3000);
  assert.equal(r.host.hostname, "LABEL-host.hostname");
});

Deno.test("redact: process names, terminals and devices keep only what cannot be private", () => {
  const agent = makeAgent({
    name: "/home/me/secret/bin/tool",
    tty: "/dev/pts/3",
    terminal: "tmux pane %3",
    children: [{ ...proc("child", 2), name: "pytest" }, { ...proc("child", 3), name: "my secret tool" }],
  });
  const [a] = redact(makeSnapshot([agent])).agents;
  assert.equal(a.name, HIDDEN);
  assert.deepEqual(a.children.map((c) => c.name), ["pytest", HIDDEN]);
  assert.equal(a.tty, "/dev/pts/3");
  assert.equal(a.terminal, "tmux pane %3");
  const terminals = ["kitty", "pts/7 over ssh", "no terminal", "tmux pane $(secret)", "Secret Term over ssh"];
  assert.deepEqual(
    terminals.map((terminal) => redact(makeSnapshot([makeAgent({ terminal })])).agents[0].terminal),
    ["kitty", "pts/7 over ssh", "no terminal", "tmux", "terminal over ssh"],
  );
  const waiting = (waitingFor: string) =>
    redact(makeSnapshot([makeAgent({ session: { ...fullSession(), waitingFor } })])).agents[0].session!
      .waitingFor;
  assert.equal(waiting("permission prompt"), "permission prompt");
  assert.equal(waiting("approval"), "permission prompt");
});

Deno.test("redact: the same Pseudonyms keep names stable from tick to tick", () => {
  const names = new Pseudonyms();
  const one = makeAgent({ pid: 1, key: "1:1", project: "alpha", startedAt: T });
  const two = makeAgent({
    pid: 2,
    key: "session:/home/me/.claude/x.jsonl",
    project: "beta",
    startedAt: T + 1,
  });
  const first = redact(makeSnapshot([two, one]), names);
  assert.deepEqual(first.agents.map((a) => [a.key, a.project]), [["private-1", "project-2"], [
    "1:1",
    "project-1",
  ]]);
  // The oldest agent is gone: beta keeps its number.
  const second = redact(makeSnapshot([two]), names);
  assert.deepEqual(second.agents.map((a) => [a.key, a.project]), [["private-1", "project-2"]]);
});

// ---------------------------------------------------------------------------------------------------
// End to end: main.ts ls --private with a fake Claude Code and a transcript full of secrets.

const skip = fakesUnavailable();
if (skip) console.log(`privacy end-to-end test skipped: ${skip}`);

const line = (o: unknown) => JSON.stringify(o) + "\n";
const iso = (ms: number) => new Date(ms).toISOString();

/** Every secret the fake agent's world holds; none may be printed with --private. */
const SECRETS = [
  "SECRETPROJ",
  "SECRETPROMPT",
  "SECRETREPLY",
  "SECRETTITLE",
  "SECRETTASK",
  "SECRETSUB",
  "SECRETCMD",
  "SECRETRESULT",
  "SECRETBRANCH",
  "SECRETARGV",
  "SECRETFILE",
  "SECRETCHILD",
];

function transcript(id: string, cwd: string, now: number): string {
  const env = { sessionId: id, cwd, version: "2.1.197", gitBranch: "SECRETBRANCH", userType: "external" };
  const usage = {
    input_tokens: 3,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 1000,
    output_tokens: 50,
  };
  let n = 0;
  const assistant = (content: unknown[], stop: string) => ({
    type: "assistant",
    timestamp: iso(now - 5000 + 100 * ++n),
    requestId: `req_${n}`,
    ...env,
    message: {
      id: `msg_${n}`,
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content,
      stop_reason: stop,
      usage,
    },
  });
  const result = (toolUseId: string, text: string) => ({
    type: "user",
    timestamp: iso(now - 5000 + 100 * ++n),
    ...env,
    message: { role: "user", content: [{ type: "tool_result", tool_use_id: toolUseId, content: text }] },
  });
  return [
    {
      type: "user",
      timestamp: iso(now - 6000),
      ...env,
      message: { role: "user", content: "SECRETPROMPT: fix it" },
    },
    { type: "custom-title", customTitle: "SECRETTITLE", sessionId: id },
    assistant([
      { type: "text", text: "SECRETREPLY on it" },
      {
        type: "tool_use",
        id: "toolu_todo",
        name: "TodoWrite",
        input: { todos: [{ content: "SECRETTASK", activeForm: "SECRETTASK now", status: "in_progress" }] },
      },
    ], "tool_use"),
    result("toolu_todo", "ok"),
    assistant([{
      type: "tool_use",
      id: "toolu_task",
      name: "Task",
      input: { description: "SECRETSUB", prompt: "SECRETSUB prompt", subagent_type: "general-purpose" },
    }], "tool_use"),
    result("toolu_task", "SECRETRESULT done"),
    assistant([{
      type: "tool_use",
      id: "toolu_bash",
      name: "Bash",
      input: { command: "cat /srv/SECRETCMD" },
    }], "tool_use"),
  ].map(line).join("");
}

Deno.test({
  name: "ls --private: no prompt, reply, tool text, path, branch, argv or project in table, csv or json",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const exe = world.native("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    const cwd = world.dir("work/SECRETPROJ-app");
    await Deno.writeTextFile(world.path("work/SECRETPROJ-app/.git/HEAD"), "ref: refs/heads/SECRETBRANCH\n");
    const written = world.path("work/SECRETPROJ-app/SECRETFILE.log");
    // The agent holds a file open for writing (fd 3, kept across exec) and runs a tool child.
    const agent = world.spawn("/bin/sh", [
      "-c",
      'exec 3>>"$1"; exec "$2" --append-system-prompt SECRETARGV',
      "sh",
      written,
      exe,
    ], {
      cwd,
      env: {
        HOME: home,
        AGTOP_FAKE_SPAWN: world.spawnFile([{ argv: ["/bin/sh", "-c", "sleep 300; : SECRETCHILD"] }]),
      },
    });
    await world.waitForDescendants(agent.pid, 1);
    const now = Date.now();
    const id = "44444444-4444-4444-8444-444444444444";
    const dir = world.dir(`home/.claude/projects/${projectDirName(cwd)}`);
    await Deno.writeTextFile(`${dir}/${id}.jsonl`, transcript(id, cwd, now));

    const env = { HOME: home, COLUMNS: "250" };
    const open = await runAgtop(["ls", "--format", "json", "--sample", "0"], env);
    assert.equal(open.code, 0, open.stderr);
    const mine = JSON.parse(open.stdout).agents.find((a: { pid: number }) => a.pid === agent.pid);
    assert.ok(mine, "the fake agent is listed");
    assert.equal(mine.session?.id, id, "its transcript is linked");
    for (const s of SECRETS) assert.ok(open.stdout.includes(s), `without --private the JSON shows ${s}`);

    for (const format of ["json", "csv", "table"]) {
      const res = await runAgtop(["ls", "--private", "--format", format, "--sample", "0"], env);
      assert.equal(res.code, 0, res.stderr);
      assert.ok(res.stdout.includes("Claude Code"), `${format}: the agent is still listed`);
      const leaked = SECRETS.filter((s) => res.stdout.includes(s));
      assert.deepEqual(leaked, [], `${format} leaks ${leaked.join(", ")}:\n${res.stdout}`);
      assert.ok(!res.stdout.includes(world.root), `${format}: no path of the test world`);
    }
    // Filtered on the real cwd (filters see real values), so other agents on the machine cannot shift
    // the project numbering.
    const own = world.root.split("/").pop()!;
    const table = await runAgtop(["ls", "--private", "--sample", "0", "--filter", own], env);
    assert.match(
      table.stdout,
      /● busy\s+(?:\d+[smhd]\s+)?Claude Code\s+\d+\s+project-1\s+claude-sonnet-4-5\S*\s+Bash\s/,
    );
  },
});
