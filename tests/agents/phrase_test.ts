import assert from "node:assert/strict";
import { doingPhrase, toolPhrase } from "../../agents/phrase.ts";
import { ClaudeTranscript } from "../../agents/vendors/claude/transcript.ts";
import type { AgentProcess } from "../../agents/types.ts";
import type { SubagentFacts } from "../../agents/session.ts";
import { emptyTokens } from "../../agents/session.ts";
import { makeAgent, makeSession } from "../support/agents.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const NOW = Date.parse("2026-11-24T10:30:00Z");
const CWD = "/home/me/app";

const tool = (name: string, arg: string) => toolPhrase({ name, arg, id: null, startedAt: null }, CWD);

function process(pid: number, ppid: number, argv: string[]): AgentProcess {
  return {
    pid,
    ppid,
    name: argv[0],
    argv,
    role: "child",
    state: "sleeping",
    startedAt: NOW,
    cpuPercent: 0,
    rssBytes: 0,
    threads: 1,
  };
}

function subagent(status: SubagentFacts["status"]): SubagentFacts {
  return {
    id: "a1",
    type: "general-purpose",
    description: null,
    status,
    model: null,
    tokens: emptyTokens(),
    currentTool: null,
    lastActivity: null,
  };
}

Deno.test("phrase: tool calls in the user's words, across agents", () => {
  const cases: [string, string, string][] = [
    ["Bash", "npm test", "running npm test"],
    ["exec_command", "cargo build --release", "running cargo build --release"],
    ["shell", "ls -la", "running ls -la"],
    ["run_shell_command", "make", "running make"],
    ["Edit", "/home/me/app/src/app.ts", "editing src/app.ts"],
    ["Write", "/tmp/notes.md", "editing /tmp/notes.md"],
    ["MultiEdit", "/home/me/app/a.ts", "editing a.ts"],
    ["apply_patch", "src/lib.rs", "editing src/lib.rs"],
    ["Read", "/home/me/app/README.md", "reading README.md"],
    ["view", "/home/me/app/docs/x.md", "reading docs/x.md"],
    ["Grep", "parseArgs", "searching for parseArgs"],
    ["Glob", "**/*.test.ts", "searching for **/*.test.ts"],
    ["WebFetch", "https://docs.deno.com/runtime/", "fetching docs.deno.com"],
    ["WebSearch", "deno permissions", "searching the web for deno permissions"],
    ["Agent", "Probe the API (general-purpose)", "delegating Probe the API (general-purpose)"],
    ["multi_agent_v1.spawn_agent", "check the docs", "delegating check the docs"],
    ["wait_agent", "019a", "waiting for subagents"],
    ["TodoWrite", "Fixing lint errors", "planning"],
    ["write_stdin", "session 46447", "watching a running command"],
    ["mcp__github__search_issues", "is:open", "using github search_issues"],
    ["Skill", "pdf", "using Skill"],
    ["Bash", "", "running a command"],
    ["Read", "", "reading files"],
  ];
  for (const [name, arg, want] of cases) assert.equal(tool(name, arg), want, `${name}: ${arg}`);
  assert.equal(
    tool("Bash", `echo ${"x".repeat(200)}`).length,
    "running ".length + 60,
    "a long argument is cut",
  );
  assert.equal(
    tool("Bash", "printf '\x1b[2Jboom'\nrm -rf /"),
    "running printf 'boom' rm -rf /",
    "escapes and line breaks go",
  );
});

Deno.test("phrase: by status — limited, waiting, subagents, busy, idle, done", () => {
  const reset = new Date(NOW);
  reset.setHours(reset.getHours() + 3, 5, 0, 0);
  const hm = `${String(reset.getHours()).padStart(2, "0")}:${String(reset.getMinutes()).padStart(2, "0")}`;
  const sameDay = reset.toDateString() === new Date(NOW).toDateString();
  const limited = doingPhrase(
    makeAgent({ status: "limited", session: makeSession({ limitedUntil: reset.getTime() }) }),
    NOW,
  );
  assert.match(
    limited,
    sameDay ? new RegExp(`^rate-limited until ${hm}$`) : new RegExp(`^rate-limited until \\w{3} ${hm}$`),
  );
  const nextWeek = doingPhrase(
    makeAgent({ status: "limited", session: makeSession({ limitedUntil: NOW + 3 * 86_400_000 }) }),
    NOW,
  );
  assert.match(nextWeek, /^rate-limited until (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d\d:\d\d$/);
  assert.equal(doingPhrase(makeAgent({ status: "limited", session: makeSession() }), NOW), "rate-limited");

  assert.equal(
    doingPhrase(makeAgent({ status: "waiting", session: makeSession({ turn: "ended" }) }), NOW),
    "waiting for you",
  );
  assert.equal(
    doingPhrase(
      makeAgent({ status: "waiting", session: makeSession({ waitingFor: "permission prompt" }) }),
      NOW,
    ),
    "waiting for your permission",
  );

  const two = makeSession({ subagents: [subagent("running"), subagent("running"), subagent("done")] });
  assert.equal(doingPhrase(makeAgent({ status: "subagents", session: two }), NOW), "running 2 subagents");
  const one = makeSession({
    subagents: [subagent("running")],
    currentTool: { name: "Task", arg: "Probe the API", id: "t1", startedAt: null },
  });
  assert.equal(
    doingPhrase(makeAgent({ status: "subagents", session: one }), NOW),
    "delegating Probe the API",
  );

  const busy = makeSession({ currentTool: { name: "Bash", arg: "npm test", id: "t2", startedAt: null } });
  assert.equal(doingPhrase(makeAgent({ status: "busy", session: busy, cwd: CWD }), NOW), "running npm test");
  const agent = makeAgent({ pid: 10, status: "busy", session: makeSession({ currentTool: null }) });
  assert.equal(doingPhrase(agent, NOW), "thinking", "the model generates: nothing on disk yet");
  const withChild = makeAgent({ pid: 10, status: "busy", children: [process(11, 10, ["pytest", "-x"])] });
  assert.equal(doingPhrase(withChild, NOW), "running pytest -x", "a child runs, no session");

  const quiet = makeSession({ turn: "working", lastActivity: NOW - 12 * 60_000 });
  assert.equal(doingPhrase(makeAgent({ status: "idle", session: quiet }), NOW), "idle for 12m");
  assert.equal(doingPhrase(makeAgent({ status: "idle" }), NOW), "idle");

  const ended = makeSession({ lastActivity: NOW - 3 * 3_600_000 });
  assert.equal(doingPhrase(makeAgent({ status: "done", session: ended }), NOW), "ended 3h ago");
  const orphans = makeAgent({
    status: "done",
    orphans: [process(12, 1, ["vite"]), process(13, 1, ["node"])],
  });
  assert.equal(doingPhrase(orphans, NOW), "left 2 processes running");
});

Deno.test("phrase: from a Claude transcript with a tool in flight", () => {
  const t = new ClaudeTranscript();
  const lines = Deno.readTextFileSync(`${FIXTURES}claude/limited.jsonl`).split("\n").filter(Boolean);
  for (const l of lines.slice(0, 4)) t.feed(l); // up to the Edit call, before its result
  const session = makeSession(t.facts());
  assert.equal(
    doingPhrase(makeAgent({ status: "busy", session, cwd: "/home/me/proj" }), NOW),
    "editing src/parser.ts",
  );
});

Deno.test("phrase: a wrapped child shows the user's command; an agent updating itself says so", () => {
  const wrapped = {
    ...process(11, 10, ["/usr/bin/bash", "-c", "shopt -u promptvars …"]),
    command: "npm test",
  };
  assert.equal(
    doingPhrase(makeAgent({ pid: 10, status: "busy", children: [wrapped] }), NOW),
    "running npm test",
  );
  const update = {
    ...process(12, 10, ["node", "/usr/bin/npm", "install", "--global", "@qwen-code/qwen-code@0.15.11"]),
    role: "updater" as const,
  };
  assert.equal(
    doingPhrase(makeAgent({ pid: 10, status: "idle", children: [update] }), NOW),
    "updating itself",
  );
});
