/**
 * Factory Droid: its processes folded into one row, and its sessions read from what Droid 0.225.2
 * wrote (tests/fixtures/droid: a finished turn, then an `Execute` call in flight).
 */
import assert from "node:assert/strict";
import { detect } from "../../../../agents/detect.ts";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { droid } from "../../../../agents/vendors/droid/mod.ts";
import { DroidSessionSource, projectDirName } from "../../../../agents/vendors/droid/sessions.ts";
import { droidModel, DroidTranscript } from "../../../../agents/vendors/droid/transcript.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, NOW, withHome } from "../../../support/sessions.ts";

const FIXTURES = new URL("../../../fixtures/droid/", import.meta.url).pathname;
const ID = "7468ca47-c088-4b64-a42e-3225bd87ed2c";
const NM = "/home/me/lab/node_modules";

/** Writes the fixture session under `home` for the working directory `cwd`. */
function writeSession(home: string, cwd: string): string {
  const dir = `${home}/.factory/sessions/${projectDirName(cwd)}`;
  Deno.mkdirSync(dir, { recursive: true });
  const jsonl = Deno.readTextFileSync(`${FIXTURES}/${ID}.jsonl`).replaceAll("/tmp/p2s/repo-droid", cwd);
  Deno.writeTextFileSync(`${dir}/${ID}.jsonl`, jsonl);
  Deno.copyFileSync(`${FIXTURES}/${ID}.settings.json`, `${dir}/${ID}.settings.json`);
  Deno.copyFileSync(`${FIXTURES}/settings.json`, `${home}/.factory/settings.json`);
  return `${dir}/${ID}.jsonl`;
}

Deno.test("droid: node shim, TUI and its stream-jsonrpc agent loop are one agent, the TUI's", () => {
  const bin = `${NM}/@factory/cli-linux-x64/bin/droid`;
  const shim = proc(10, 1, "node", "/usr/bin/node", ["node", `${NM}/.bin/droid`]);
  const tui = proc(11, 10, "droid", bin, [bin]);
  const loop = proc(12, 11, "droid", bin, [
    bin,
    "exec",
    "--input-format",
    "stream-jsonrpc",
    "--output-format",
    "stream-jsonrpc",
  ]);
  const tool = proc(13, 12, "bash", "/bin/bash", ["/bin/bash", "-c", "sleep 300"]);
  const found = detect([shim, tui, loop, tool], VENDORS, () => `${NM}/@factory/cli/bin/droid`);
  assert.equal(found.length, 1);
  assert.equal(found[0].vendor.id, "droid");
  assert.equal(found[0].main.pid, 11);
  assert.deepEqual(found[0].members.map((m) => `${m.process.pid}:${m.role}`), ["10:launcher", "12:helper"]);
  assert.deepEqual(found[0].children.map((p) => p.pid), [13]);
  // `droid exec "prompt"` on its own is an agent; a lone stream-jsonrpc loop (an IDE's) is not.
  assert.equal(droid.recognise(proc(20, 1, "droid", bin, [bin, "exec", "fix the tests"]), null), "main");
  assert.equal(detect([proc(21, 1, "droid", bin, loop.argv)], VENDORS).length, 0);
  assert.equal(droid.recognise(proc(22, 1, "droid", bin, [bin, "mcp", "list"]), null), null);
});

Deno.test("droid: the session of the working directory, tool in flight, tokens from its settings", async () => {
  await assertReaderOf(droid, DroidSessionSource, "droid");
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const path = writeSession(home, cwd);
    const source = new DroidSessionSource();
    const link = source.link(linkContext(home, { argv: ["droid"], cwd, startedAt: NOW - 60_000 }));
    assert.deepEqual(link, { path, id: ID, linkedBy: "cwd" });
    assert.equal(source.link(linkContext(home, { argv: ["droid"], cwd: `${home}/other` })), null);
    const byArgv = source.link(linkContext(home, { argv: ["droid", "--resume", ID], cwd: `${home}/other` }));
    assert.equal(byArgv?.linkedBy, "argv");
    const f = source.read(link!, NOW)!;
    assert.equal(f.id, ID);
    assert.equal(f.cwd, cwd);
    assert.equal(f.title, "Mock title");
    assert.equal(f.turn, "working");
    assert.deepEqual(
      { name: f.currentTool?.name, arg: f.currentTool?.arg },
      { name: "Execute", arg: "sleep 300; echo agtop-probe-done" },
    );
    assert.equal(f.lastPrompt, "Run the probe again");
    // custom:Mock-model-0 is entry 0 of customModels: the provider's mock-model.
    assert.equal(f.model, "mock-model");
    assert.deepEqual(f.tokens, { input: 8000, output: 810, cacheRead: 12010, cacheWrite: 0, reasoning: 0 });
    assert.deepEqual(Object.keys(f.tokensByModel), ["mock-model"]);
    assert.equal(f.contextTokens, 2002 + 3002);
    assert.equal(f.costUsd, undefined);
    assert.deepEqual(source.recent([{ HOME: home }], 0).links.map((l) => l.id), [ID]);
  });
});

Deno.test("droid: a turn ends with agent_turn_outcome; injected context is no prompt; Task calls are subagents", () => {
  const t = new DroidTranscript();
  const msg = (id: string, role: string, content: unknown[], extra = {}) =>
    JSON.stringify({
      type: "message",
      id,
      timestamp: "2026-12-06T16:02:29.000Z",
      message: { role, content },
      ...extra,
    });
  t.feed(JSON.stringify({ type: "session_start", id: ID, title: "t", cwd: "/w" }));
  t.feed(
    msg("context-1", "user", [{ type: "text", text: "<system-reminder>x" }], { visibility: "llm_only" }),
  );
  t.feed(msg("u1", "user", [{ type: "text", text: "review it" }]));
  t.feed(msg("a1", "assistant", [{
    type: "tool_use",
    id: "call_1",
    name: "Task",
    input: { subagent_type: "code-reviewer", description: "Review the diff", prompt: "…" },
  }]));
  let f = t.facts();
  assert.equal(f.lastPrompt, "review it");
  assert.deepEqual(f.subagents.map((s) => [s.type, s.description, s.status]), [[
    "code-reviewer",
    "Review the diff",
    "running",
  ]]);
  t.feed(msg("r1", "user", [{ type: "tool_result", tool_use_id: "call_1", content: "fine" }]));
  t.feed(JSON.stringify({ type: "agent_turn_outcome", turnId: "u1", reason: "completed" }));
  t.feed("{not json");
  f = t.facts();
  assert.equal(f.turn, "ended");
  assert.equal(f.currentTool, null);
  assert.equal(f.subagents[0].status, "done");
  assert.equal(f.malformedLines, 1);
  assert.equal(droidModel("claude-opus-4-5-20251101", []), "claude-opus-4-5-20251101");
  assert.equal(droidModel("custom:Mine-3", [{ model: "a" }]), "custom:Mine-3");
});

Deno.test("droid: the data directory doctor checks, and the variable that moved it", () => {
  const source = new DroidSessionSource();
  assert.deepEqual(source.dataDirs({}, "/home/me"), [{
    path: "/home/me/.factory/sessions",
    from: "default",
  }]);
  assert.deepEqual(source.dataDirs({ FACTORY_HOME_OVERRIDE: "/srv/f" }, "/home/me"), [
    { path: "/srv/f/.factory/sessions", from: "FACTORY_HOME_OVERRIDE" },
  ]);
});
