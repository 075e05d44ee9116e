import assert from "node:assert/strict";
import { auggie } from "../../../../agents/vendors/auggie/mod.ts";
import { auggieFacts, auggieToolArg } from "../../../../agents/vendors/auggie/transcript.ts";
import { auggieSessionsDir, AuggieSessionSource } from "../../../../agents/vendors/auggie/sessions.ts";
import { linkContext, NOW, STARTED, withHome } from "../../../support/sessions.ts";

// Built from the format of Auggie 0.36's bundle (see tests/fixtures/auggie/README.md), not a run.
const ID = "5f0c2d1e-8a3b-4c7d-9e6f-1a2b3c4d5e6f";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../../fixtures/auggie/${name}`, import.meta.url));

Deno.test("Auggie document: a launch-process call in flight, its tokens and Augment's dollar cost", () => {
  const f = auggieFacts(JSON.parse(fixture("inflight.json")))!;
  assert.equal(f.id, ID);
  assert.equal(f.title, "Run the tests");
  assert.equal(f.model, "claude-sonnet-4-6");
  assert.equal(f.lastPrompt, "run the tests");
  assert.equal(f.turn, "working");
  assert.deepEqual(f.currentTool, {
    name: "launch-process",
    arg: "npm test",
    id: "toolu_01A",
    startedAt: 1796576405200,
  });
  assert.deepEqual(f.tokens, { input: 12, output: 85, cacheRead: 14000, cacheWrite: 2100, reasoning: 0 });
  assert.equal(f.contextTokens, 16112);
  assert.ok(Math.abs(f.costUsd! - (0.0143 + 0.002)) < 1e-12, "billed dollars plus its subagents'");
  assert.equal(f.startedAt, Date.parse("2026-12-06T17:00:00.000Z"));
});

Deno.test("Auggie document: the call's result in the next exchange ends the turn; an interrupt too", () => {
  const done = auggieFacts(JSON.parse(fixture("done.json")))!;
  assert.equal(done.turn, "ended");
  assert.equal(done.currentTool, null);
  assert.equal(done.tokens.output, 105);
  assert.equal(done.contextTokens, 16440);
  assert.deepEqual(done.activity.map((e) => e.kind), ["prompt", "tool", "text", "result", "text"]);
  const doc = JSON.parse(fixture("inflight.json"));
  doc.chatHistory[0].completed = false;
  const interrupted = auggieFacts(doc)!;
  assert.equal(interrupted.turn, "ended");
  assert.equal(interrupted.currentTool, null);
  assert.equal(auggieFacts({ sessionId: "x" }), null, "not a session document");
  assert.equal(auggieFacts({ sessionId: "x", chatHistory: [7, { exchange: null }] })?.malformedLines, 1);
});

Deno.test("Auggie: tool arguments, the cache directory option, management subcommands", () => {
  assert.equal(auggieToolArg('{"path":"src/a.ts","command":"view"}'), "view");
  assert.equal(auggieToolArg("not json"), "not json");
  assert.equal(auggieSessionsDir(["auggie", "--augment-cache-dir=~/aug"], "/w", "/h"), "/h/aug/sessions");
  const node = (...args: string[]) => ({
    pid: 1,
    ppid: 0,
    name: "node",
    exe: "/usr/bin/node",
    argv: ["node", "/p/node_modules/.bin/auggie", ...args],
    state: "sleeping" as const,
    threads: 1,
    startedAt: 0,
    startId: 0,
    cpuTimeMs: 0,
    rssBytes: 0,
    uid: 0,
  });
  const script = "/p/node_modules/@augmentcode/auggie/augment.mjs";
  assert.equal(auggie.recognise(node("--print", "fix it"), script), "main");
  assert.equal(auggie.recognise(node("login"), script), null);
  assert.equal(
    auggie.recognise(node("-m", "login", "hi"), script),
    "main",
    "an option's value is no subcommand",
  );
});

Deno.test("Auggie sessions: the newest document since the process started, or the one --resume names", () => {
  withHome((home) => {
    const dir = `${home}/.augment/sessions`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/${ID}.json`;
    const older = `${dir}/0a1b2c3d-0000-4000-8000-000000000000.json`;
    Deno.writeTextFileSync(path, fixture("inflight.json"));
    Deno.writeTextFileSync(
      older,
      fixture("done.json").replaceAll(ID, "0a1b2c3d-0000-4000-8000-000000000000"),
    );
    Deno.utimeSync(older, (STARTED - 3_600_000) / 1000, (STARTED - 3_600_000) / 1000);
    const source = new AuggieSessionSource();
    const argv = ["node", "/p/.bin/auggie"];
    assert.deepEqual(source.link(linkContext(home, { argv, cwd: `${home}/app` })), {
      path,
      id: ID,
      linkedBy: "start",
    });
    assert.deepEqual(source.link(linkContext(home, { argv: [...argv, "--resume", "0a1b"], cwd: home })), {
      path: older,
      id: "0a1b2c3d-0000-4000-8000-000000000000",
      linkedBy: "argv",
    });
    const claimed = new Set([path]);
    assert.equal(source.link(linkContext(home, { argv, cwd: home, claimed })), null, "never one taken");
    const read = source.read({ path, id: ID, linkedBy: "start" }, NOW)!;
    assert.equal(read.currentTool?.arg, "npm test");
    assert.deepEqual(source.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), [ID]);
    assert.deepEqual(source.dataDirs({}, home), [{ path: dir, from: "default" }]);
  });
});
