import assert from "node:assert/strict";
import { OMP_LAYOUT, ompProjectDir } from "../../../../agents/vendors/omp/sessions.ts";
import { PiSessionSource } from "../../../../agents/formats/pi_store.ts";
import { piSubagentDir } from "../../../../agents/formats/pi_subagents.ts";
import { linkContext, NOW, withHome } from "../../../support/sessions.ts";
import { parsePi, piFixture } from "../../../support/pi.ts";

// Written by oh-my-pi 18.2.3 against the loopback model: the parent's `task` call starts the subagent
// `Prober` in the background (the tool returns at once, the parent's turn ends), the subagent runs
// `sleep 40` and hands its result back with `yield`; the parent gets it as an `async-result` message
// and runs one more command.
const ID = "01a24c8b-5106-769c-88db-9ae382c41ab7";
const NAME = `2026-12-06T18-08-48-390Z_${ID}.jsonl`;
const fixture = (name: string, cwd?: string) => piFixture("omp", name, cwd);

Deno.test("oh-my-pi task call: the subagent's id, agent and assignment; finished once its result is delivered", () => {
  const spawned = parsePi(fixture("task-parent-inflight.jsonl"));
  assert.deepEqual(spawned.subagentCalls, [{
    id: "Prober",
    type: "task",
    description: "Run the probe shell command and report.",
    at: 1796580538960, // the assistant message's own time
    done: false,
  }]);
  assert.equal(spawned.facts().turn, "ended", "the background task returned at once");
  const delivered = parsePi(fixture("task-parent-done.jsonl"));
  assert.equal(delivered.subagentCalls[0].done, true);
});

Deno.test("oh-my-pi subagent file: a command in flight, then its turn ends with `yield`", () => {
  const running = parsePi(fixture("task-sub-inflight.jsonl")).facts();
  assert.equal(running.turn, "working");
  assert.equal(running.currentTool?.arg, "sleep 40; echo agtop-probe-done");
  const done = parsePi(fixture("task-sub-done.jsonl")).facts();
  assert.equal(done.turn, "ended");
  assert.equal(done.currentTool, null);
});

/** The parent and its subagent in a temp HOME, both written at `NOW`; the source's link and read. */
function sessionWithSubagent(home: string, parent: string, sub: string) {
  const cwd = `${home}/work/app`;
  const dir = `${home}/.omp/agent/sessions/${ompProjectDir(cwd, home, "/tmp")}`;
  const path = `${dir}/${NAME}`;
  Deno.mkdirSync(piSubagentDir(path), { recursive: true });
  Deno.writeTextFileSync(path, fixture(parent, cwd));
  Deno.writeTextFileSync(`${piSubagentDir(path)}/Prober.jsonl`, fixture(sub, cwd));
  Deno.writeTextFileSync(`${piSubagentDir(path)}/Prober.md`, '"agtop-probe-done"');
  for (const f of [path, `${piSubagentDir(path)}/Prober.jsonl`]) Deno.utimeSync(f, NOW / 1000, NOW / 1000);
  const source = new PiSessionSource(OMP_LAYOUT);
  const link = source.link(linkContext(home, { argv: ["bun", "/x/.bin/omp"], cwd }));
  assert.deepEqual(link, { path, id: ID, linkedBy: "cwd" });
  return { source, read: source.read(link!, NOW)! };
}

Deno.test("oh-my-pi sessions: a running subagent is shown under its parent, its usage counted once", () => {
  withHome((home) => {
    const { source, read } = sessionWithSubagent(
      home,
      "task-parent-inflight.jsonl",
      "task-sub-inflight.jsonl",
    );
    assert.equal(read.turn, "ended");
    assert.equal(read.subagents.length, 1);
    const [sub] = read.subagents;
    assert.deepEqual(
      { id: sub.id, type: sub.type, description: sub.description, status: sub.status, model: sub.model },
      {
        id: "Prober",
        type: "task",
        description: "Run the probe shell command and report.",
        status: "running",
        model: "mock-model",
      },
    );
    assert.equal(sub.currentTool?.arg, "sleep 40; echo agtop-probe-done");
    // Parent 202 + 203, subagent 204 (reasoning 42 + 43 + 44 taken out of output).
    assert.deepEqual(read.tokens, {
      input: 6000,
      output: 480,
      cacheRead: 9009,
      cacheWrite: 0,
      reasoning: 129,
    });
    assert.deepEqual(read.tokensByModel["mock-model"], read.tokens);
    assert.ok(Math.abs(read.costUsd! - (0.0198765 + 0.0099612)) < 1e-12);
    assert.equal(read.recentUsage?.reduce((n, m) => n + m.requests, 0), 3);
    // The subagent's file is one level below the session files: never a session of its own.
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), [ID]);
  });
});

Deno.test("oh-my-pi sessions: a subagent that yielded is done, and counts towards the whole session", () => {
  withHome((home) => {
    const { read } = sessionWithSubagent(home, "task-parent-done.jsonl", "task-sub-done.jsonl");
    const [sub] = read.subagents;
    assert.equal(sub.status, "done");
    assert.equal(sub.currentTool, null);
    assert.deepEqual(sub.tokens, { input: 4000, output: 320, cacheRead: 6009, cacheWrite: 0, reasoning: 89 });
    // Σ output as the model stand-in answered the six recorded requests: 202 + … + 207 = 1227.
    assert.equal(read.tokens.output + read.tokens.reasoning, 1227);
    assert.equal(read.lastPrompt, "USE_SUBAGENT please probe");
  });
});

Deno.test("oh-my-pi sessions: a subagent whose file is gone is listed from the parent's call, finished", () => {
  withHome((home) => {
    const { source } = sessionWithSubagent(home, "task-parent-done.jsonl", "task-sub-done.jsonl");
    const path = source.recent([{ HOME: home }], NOW - 60_000).links[0].path;
    Deno.removeSync(`${piSubagentDir(path)}/Prober.jsonl`);
    const fresh = new PiSessionSource(OMP_LAYOUT).read({ path, id: ID, linkedBy: "recent" }, NOW)!;
    assert.deepEqual(fresh.subagents.map((s) => [s.id, s.status, s.tokens.output]), [["Prober", "done", 0]]);
    assert.equal(fresh.tokens.output + fresh.tokens.reasoning, 818);
  });
});
