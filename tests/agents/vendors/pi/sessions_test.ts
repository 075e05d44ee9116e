import assert from "node:assert/strict";
import type { ProcessInfo } from "../../../../platform/types.ts";
import { pi } from "../../../../agents/vendors/pi/mod.ts";
import { PI_LAYOUT, piAgentDir, piProjectDir } from "../../../../agents/vendors/pi/sessions.ts";
import { PiSessionSource } from "../../../../agents/formats/pi_store.ts";
import { linkContext, NOW, withHome } from "../../../support/sessions.ts";
import { FIXTURE_CWDS, parsePi, piFixture } from "../../../support/pi.ts";

const FIXTURE_CWD = FIXTURE_CWDS.pi;
const ID = "01a24c19-0a65-73f7-a525-a83a38eaaa26";
const NAME = `2026-12-06T16-03-59-206Z_${ID}.jsonl`;

const fixture = (name: string, cwd?: string) => piFixture("pi", name, cwd);
const parse = parsePi;

function proc(name: string, exe: string | null, argv: string[]): ProcessInfo {
  return {
    pid: 12499,
    ppid: 1,
    name,
    exe,
    argv,
    state: "sleeping",
    threads: 11,
    startedAt: 0,
    startId: 0,
    cpuTimeMs: 0,
    rssBytes: 0,
    uid: 0,
  };
}

Deno.test("pi: recognised as it really runs (titled `pi`, node running its bin), not its package commands", () => {
  // process.title = "pi": comm `pi`, argv `pi` and NUL padding, the executable still node.
  assert.equal(pi.recognise(proc("pi", "/usr/bin/node", ["pi", "", "", ""]), null), "main");
  const nm = "/home/me/.npm-global/lib/node_modules";
  const script = `${nm}/@mariozechner/pi-coding-agent/dist/cli.js`;
  assert.equal(pi.recognise(proc("node", "/usr/bin/node", ["node", `${nm}/.bin/pi`, "-c"]), script), "main");
  assert.equal(
    pi.recognise(proc("node", "/usr/bin/node", ["node", `${nm}/.bin/pi`, "install", "x"]), script),
    null,
  );
  // Another node program, or a `pi` that is neither node nor pi's package.
  assert.equal(pi.recognise(proc("node", "/usr/bin/node", ["node", "/srv/app/server.js"]), null), null);
  assert.equal(pi.recognise(proc("pi", "/usr/bin/python3", ["pi"]), null), null);
  assert.equal(pi.dataDirEnv, "PI_CODING_AGENT_DIR");
});

Deno.test("pi transcript: a bash call in flight, as pi 0.73.1 wrote it", () => {
  const f = parse(fixture("inflight.jsonl")).facts();
  assert.equal(f.id, ID);
  assert.equal(f.cwd, FIXTURE_CWD);
  assert.equal(f.model, "mock-model");
  assert.equal(f.turn, "working");
  assert.equal(f.stopReason, "toolUse");
  assert.equal(f.lastPrompt, "run the probe command please");
  assert.deepEqual(f.currentTool, {
    name: "bash",
    arg: "sleep 45; echo agtop-probe-done",
    id: "call_1",
    startedAt: 1796573049287,
  });
  assert.deepEqual(f.tokens, { input: 2000, output: 201, cacheRead: 3001, cacheWrite: 0, reasoning: 0 });
  assert.equal(f.contextTokens, 5001);
  assert.equal(f.costUsd, 0.0099153);
  assert.equal(f.startedAt, Date.parse("2026-12-06T16:03:59.206Z"));
  assert.equal(f.malformedLines, 0);
});

Deno.test("pi transcript: the finished turn — result, answer, tokens and pi's own cost summed", () => {
  const f = parse(fixture("done.jsonl")).facts();
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.deepEqual(f.tokens, { input: 4000, output: 403, cacheRead: 6003, cacheWrite: 0, reasoning: 0 });
  assert.deepEqual(Object.keys(f.tokensByModel), ["mock-model"]);
  assert.ok(Math.abs(f.costUsd! - (0.0099153 + 0.0099306)) < 1e-12);
  assert.deepEqual(f.activity.map((e) => e.kind), ["prompt", "text", "tool", "result", "text"]);
  assert.equal(f.recentUsage?.reduce((n, m) => n + m.requests, 0), 2);
});

Deno.test("pi transcript: no prices → no cost; aborts end the turn; edits list their files; bad lines count", () => {
  const head = fixture("inflight.jsonl").split("\n").slice(0, 4);
  const zeroCost = fixture("inflight.jsonl").split("\n")[4].replace(/"total":[0-9.e-]+/, '"total":0');
  const edit = JSON.stringify({
    type: "message",
    id: "e1",
    parentId: "x",
    timestamp: "2026-12-06T16:05:00.000Z",
    message: {
      role: "assistant",
      content: [{
        type: "toolCall",
        id: "call_9",
        name: "edit",
        arguments: { path: "src/a.ts", oldText: "a" },
      }],
      model: "mock-model",
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, totalTokens: 15, cost: { total: 0 } },
      stopReason: "toolUse",
      timestamp: 1796573100000,
    },
  });
  const result = JSON.stringify({
    type: "message",
    id: "e2",
    parentId: "e1",
    timestamp: "2026-12-06T16:05:01.000Z",
    message: { role: "toolResult", toolCallId: "call_9", toolName: "edit", content: [], isError: false },
  });
  const aborted = JSON.stringify({
    type: "message",
    id: "e3",
    parentId: "e2",
    timestamp: "2026-12-06T16:05:02.000Z",
    message: { role: "assistant", content: [], stopReason: "aborted", errorMessage: "Request was aborted" },
  });
  const f = parse([...head, zeroCost, edit, result, "{oops", aborted].join("\n")).facts();
  assert.equal(f.costUsd, null, "a model without prices: list prices apply, not $0");
  assert.deepEqual(f.filesChanged, [`${FIXTURE_CWD}/src/a.ts`]);
  assert.equal(f.turn, "ended");
  assert.equal(f.activity.at(-1)?.text, "Request was aborted");
  assert.equal(f.malformedLines, 1);
});

Deno.test("pi sessions: the data directory follows the agent's environment", () => {
  assert.equal(piAgentDir({}, "/home/me"), "/home/me/.pi/agent");
  assert.equal(piAgentDir({ PI_CODING_AGENT_DIR: "/srv/pi" }, "/home/me"), "/srv/pi");
  assert.equal(piProjectDir("/tmp/p1s/repo-pi"), "--tmp-p1s-repo-pi--");
  assert.equal(
    PI_LAYOUT.sessionDir({ PI_CODING_AGENT_SESSION_DIR: "~/s" }, "/home/me", "/w/app"),
    "/home/me/s",
  );
});

Deno.test("pi sessions: linked by --session, else by cwd and start time; recent for ls --all", async () => {
  assert.ok((await pi.sessions!()) instanceof PiSessionSource);
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const dir = `${home}/.pi/agent/sessions/${piProjectDir(cwd)}`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/${NAME}`;
    Deno.writeTextFileSync(path, fixture("done.jsonl", cwd));
    // An older session of the same project, and a newer one of another directory with the same name.
    const old = `${dir}/2026-12-01T09-00-00-000Z_01a00000-0000-7000-8000-000000000001.jsonl`;
    Deno.writeTextFileSync(old, fixture("done.jsonl", cwd));
    Deno.utimeSync(old, (NOW - 3_600_000) / 1000, (NOW - 3_600_000) / 1000);
    const source = new PiSessionSource(PI_LAYOUT);
    const ctx = (over = {}) => linkContext(home, { argv: ["pi", ""], cwd, ...over });

    assert.deepEqual(source.link(ctx()), { path, id: ID, linkedBy: "cwd" });
    assert.equal(source.link(ctx({ claimed: new Set([path]) })), null, "the older one predates the process");
    assert.deepEqual(source.link(ctx({ argv: ["pi", "--session", "01a00000"] })), {
      path: old,
      id: "01a00000-0000-7000-8000-000000000001",
      linkedBy: "argv",
    });
    assert.deepEqual(source.link(ctx({ argv: ["pi", "--session", old] }))?.linkedBy, "argv");
    assert.equal(source.link(ctx({ cwd: `${home}/work/other` })), null);

    const read = source.read({ path, id: ID, linkedBy: "cwd" }, NOW)!;
    assert.equal(read.turn, "ended");
    assert.equal(read.cwd, cwd);
    assert.equal(read.title, "run the probe command please");

    const recent = source.recent([{ HOME: home }], NOW - 60_000).links;
    assert.deepEqual(recent.map((l) => l.id), [ID]);
  });
});
