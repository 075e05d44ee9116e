import assert from "node:assert/strict";
import type { ProcessInfo } from "../../../../platform/types.ts";
import { omp } from "../../../../agents/vendors/omp/mod.ts";
import { OMP_LAYOUT, ompAgentDir, ompProjectDir } from "../../../../agents/vendors/omp/sessions.ts";
import { PiSessionSource } from "../../../../agents/formats/pi_store.ts";
import { linkContext, NOW, withHome } from "../../../support/sessions.ts";
import { parsePi, piFixture } from "../../../support/pi.ts";

const ID = "01a24c19-7cf8-75ed-97df-11762905ff91";
const NAME = `2026-12-06T16-04-28-536Z_${ID}.jsonl`;

const fixture = (name: string, cwd?: string) => piFixture("omp", name, cwd);
const parse = parsePi;

Deno.test("oh-my-pi: recognised as bun running its bin, not its management commands", () => {
  const nm = "/home/me/lab/node_modules";
  const p = (argv: string[]): ProcessInfo => ({
    pid: 13706,
    ppid: 1,
    name: "omp",
    exe: `${nm}/bun/bin/bun.exe`,
    argv,
    state: "sleeping",
    threads: 20,
    startedAt: 0,
    startId: 0,
    cpuTimeMs: 0,
    rssBytes: 0,
    uid: 0,
  });
  const script = `${nm}/@oh-my-pi/pi-coding-agent/dist/cli.js`;
  assert.equal(omp.recognise(p(["bun", `${nm}/.bin/omp`]), script), "main");
  assert.equal(omp.recognise(p(["bun", `${nm}/.bin/omp`, "config", "get"]), script), null);
  assert.equal(omp.label, "oh-my-pi");
});

Deno.test("oh-my-pi transcript: title line first, a bash call in flight, reasoning taken out of output", () => {
  const f = parse(fixture("inflight.jsonl")).facts();
  const { id, title, model, turn, costUsd, malformedLines, tokens, currentTool } = f;
  assert.deepEqual({ id, title, model, turn, costUsd, malformedLines }, {
    id: ID,
    title: "Mock title",
    model: "mock-model",
    turn: "working",
    costUsd: 0.0099306,
    malformedLines: 0,
  });
  assert.deepEqual(tokens, { input: 2000, output: 160, cacheRead: 3002, cacheWrite: 0, reasoning: 42 });
  // oh-my-pi's own `tool_execution_start` record follows; the call is in flight until its result.
  assert.equal(currentTool?.arg, "sleep 45; echo agtop-probe-done");
  assert.equal(currentTool?.id, "call_2");
});

Deno.test("oh-my-pi transcript: two finished turns (the second a failed `task` call); the title call is not recorded", () => {
  const f = parse(fixture("done.jsonl")).facts();
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.lastPrompt, "USE_SUBAGENT please probe");
  // Σ output as written: 202 + 203 + 204 + 205 = 814, of which 42 + 43 + 44 + 45 = 174 reasoning.
  assert.equal(f.tokens.output + f.tokens.reasoning, 814);
  assert.equal(f.tokens.reasoning, 174);
  assert.equal(f.subagents.length, 0, "the task call failed before starting one");
});

Deno.test("oh-my-pi sessions: directory names relative to home or temp, profiles, XDG-free default", () => {
  assert.equal(ompProjectDir("/tmp/p1s/repo-omp", "/root", "/tmp"), "-tmp-p1s-repo-omp");
  assert.equal(ompProjectDir("/home/me", "/home/me", "/tmp"), "-");
  assert.equal(ompProjectDir("/home/me/a/b", "/home/me", "/tmp"), "-a-b");
  assert.equal(ompProjectDir("/home/meow/a", "/home/me", "/tmp"), "--home-meow-a--");
  assert.equal(ompAgentDir({ PI_CODING_AGENT_DIR: "~/x" }, "/home/me"), "/home/me/x");
  assert.equal(ompAgentDir({ PI_CONFIG_DIR: ".o", PI_PROFILE: "w" }, "/h"), "/h/.o/profiles/w/agent");
});

Deno.test("oh-my-pi sessions: linked by cwd, title re-read when the first line is rewritten in place", async () => {
  assert.ok((await omp.sessions!()) instanceof PiSessionSource);
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const dir = `${home}/.omp/agent/sessions/${ompProjectDir(cwd, home, "/tmp")}`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/${NAME}`;
    const text = fixture("inflight.jsonl", cwd);
    Deno.writeTextFileSync(path, text);
    const source = new PiSessionSource(OMP_LAYOUT);
    const link = source.link(linkContext(home, { argv: ["bun", "/x/.bin/omp"], cwd }));
    assert.deepEqual(link, { path, id: ID, linkedBy: "cwd" });
    assert.equal(source.read(link!, NOW)?.title, "Mock title");
    // oh-my-pi renames the session: the same bytes count, only the first line changes.
    Deno.writeTextFileSync(
      path,
      text.replace('"title":"Mock title","source"', '"title":"Probe runs","source"'),
    );
    Deno.utimeSync(path, NOW / 1000 + 5, NOW / 1000 + 5);
    assert.equal(source.read(link!, NOW + 5000)?.title, "Probe runs");
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), [ID]);
  });
});
