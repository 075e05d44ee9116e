/**
 * Kimi Code CLI: its titled node process, and its sessions read from what Kimi Code 2.1.0 wrote against
 * the model stand-in (tests/fixtures/kimi: the main agent's `main.wire.jsonl` — a `Bash` call, finished
 * turns, an `Agent` call refused, a `coder` subagent — its `agent-0.wire.jsonl` and `state.json`).
 */
import assert from "node:assert/strict";
import { detect } from "../../../../agents/detect.ts";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { kimi } from "../../../../agents/vendors/kimi/mod.ts";
import { KimiSessionSource, kimiWorkspace } from "../../../../agents/vendors/kimi/sessions.ts";
import { KimiTranscript } from "../../../../agents/vendors/kimi/transcript.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURES = new URL("../../../fixtures/kimi/", import.meta.url).pathname;
const SESSION = "session_26b9b007-38e1-43cd-9f19-1da170b4cf86";
const lines = (file: string) => Deno.readTextFileSync(`${FIXTURES}/${file}`).trimEnd().split("\n");
const MAIN = lines("main.wire.jsonl");
const SUB = lines("agent-0.wire.jsonl");
/** Lines of the main log up to its `Bash` call, whose result has not come yet. */
const BASH_IN_FLIGHT = 18;
/** Lines of each log while the subagent's `Bash` call is in flight. */
const SUB_IN_FLIGHT = { main: 70, sub: 17 };

/** The session folder under `home` for `cwd` with the first lines of each log. */
function writeSession(home: string, cwd: string, main: number, sub = 0): string {
  const dir = `${home}/.kimi-code/sessions/${kimiWorkspace(cwd)}/${SESSION}`;
  Deno.mkdirSync(`${dir}/agents/main`, { recursive: true });
  Deno.writeTextFileSync(`${dir}/agents/main/wire.jsonl`, MAIN.slice(0, main).join("\n") + "\n");
  if (sub > 0) {
    Deno.mkdirSync(`${dir}/agents/agent-0`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/agents/agent-0/wire.jsonl`, SUB.slice(0, sub).join("\n") + "\n");
  }
  Deno.writeTextFileSync(
    `${dir}/state.json`,
    Deno.readTextFileSync(`${FIXTURES}/state.json`).replaceAll("/tmp/a2/kproj", cwd),
  );
  return `${dir}/agents/main/wire.jsonl`;
}

Deno.test("kimi: the titled kimi-code process, node running the package, the binary; management commands are not", () => {
  const titled = proc(10, 1, "kimi-code", "/usr/bin/node", ["kimi-code"]);
  const tool = proc(11, 10, "bash", "/bin/bash", ["/bin/bash", "-c", "cd '/w' && sleep 40"]);
  const found = detect([titled, tool], VENDORS, () => null);
  assert.deepEqual(found.map((d) => [d.vendor.id, d.main.pid, d.children.map((c) => c.pid)]), [["kimi", 10, [
    11,
  ]]]);
  const pkg = "/usr/lib/node_modules/@moonshot-ai/kimi-code/dist/main.mjs";
  assert.equal(
    kimi.recognise(proc(20, 1, "node", "/usr/bin/node", ["node", "/usr/bin/kimi", "--auto"]), pkg),
    "main",
  );
  assert.equal(kimi.recognise(proc(21, 1, "kimi", "/home/me/.local/bin/kimi", ["kimi"]), null), "main");
  assert.equal(
    kimi.recognise(proc(22, 1, "node", "/usr/bin/node", ["node", "/usr/bin/kimi", "doctor"]), pkg),
    null,
  );
});

Deno.test("kimi: the workspace folder is named as Kimi Code names it", () => {
  assert.equal(kimiWorkspace("/tmp/a2/kproj"), "wd_kproj_f820ef30cb67");
  assert.equal(kimiWorkspace("/tmp/a2/kproj/"), "wd_kproj_f820ef30cb67");
  assert.match(kimiWorkspace("/home/me/My Project!"), /^wd_my-project_[0-9a-f]{12}$/);
  assert.match(kimiWorkspace("/"), /^wd_workspace_[0-9a-f]{12}$/);
});

Deno.test("kimi: the working directory's session since start; a Bash call, a subagent at work, then done", async () => {
  await assertReaderOf(kimi, KimiSessionSource, "kimi");
  withHome((home) => {
    const cwd = `${home}/work/kproj`;
    const wire = writeSession(home, cwd, BASH_IN_FLIGHT);
    const now = Date.now();
    const source = new KimiSessionSource();
    const ctx = linkContext(home, { argv: ["kimi-code"], cwd, startedAt: now - 60_000, now });
    const link = source.link(ctx);
    assert.deepEqual(link, { path: wire, id: SESSION, linkedBy: "cwd" });
    assert.equal(source.link({ ...ctx, claimed: new Set([wire]) }), null);
    assert.equal(source.link({ ...ctx, cwd: `${home}/work/other` }), null);
    assert.equal(
      source.link({ ...ctx, startedAt: now + 60_000 }),
      null,
      "written before the process started",
    );

    const f = source.read(link!, now)!;
    assert.equal(f.id, SESSION);
    assert.equal(f.cwd, cwd);
    assert.equal(f.title, "USE_SUBAGENT to run the probe");
    assert.equal(f.model, "mock-model");
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool, {
      name: "Bash",
      arg: "sleep 30; echo agtop-probe-done",
      id: "call_1",
      startedAt: 1796581736765,
    });
    assert.equal(f.lastPrompt, "USE_SUBAGENT to run the probe");
    assert.deepEqual(f.tokens, { input: 2000, output: 201, cacheRead: 3001, cacheWrite: 0, reasoning: 0 });
    assert.equal(f.contextTokens, 5202);
    assert.equal(f.costUsd ?? null, null, "Kimi Code records no cost");

    // The coder subagent runs its own Bash call: it shows from the subagent's own log.
    writeSession(home, cwd, SUB_IN_FLIGHT.main, SUB_IN_FLIGHT.sub);
    const g = source.read(link!, now + 1000)!;
    assert.equal(g.currentTool?.name, "Agent");
    assert.equal(g.lastPrompt, "USE_SUBAGENT again");
    assert.deepEqual(g.subagents.map((s) => [s.id, s.type, s.description, s.status, s.currentTool?.arg]), [
      ["agent-0", "coder", "Probe subagent", "running", "sleep 30; echo agtop-probe-done"],
    ]);
    assert.equal(g.tokens.input, 5 * 2000 + 2000, "the main agent's five responses and the subagent's first");

    writeSession(home, cwd, MAIN.length, SUB.length);
    const h = source.read(link!, now + 2000)!;
    assert.equal(h.turn, "ended");
    assert.equal(h.currentTool, null);
    assert.deepEqual(h.subagents.map((s) => [s.id, s.status, s.tokens.input]), [["agent-0", "done", 4000]]);
    assert.equal(h.tokens.input, 6 * 2000 + 4000, "the subagent's usage as its completion reports it");
    assert.deepEqual(source.recent([{ HOME: home }], now - 60_000).links.map((l) => l.id), [SESSION]);
  });
});

Deno.test("kimi: a malformed line is counted and skipped; a prompt of the agent's own is no prompt", () => {
  const t = new KimiTranscript();
  t.feed("{not json");
  t.feed(
    '{"type":"turn.prompt","input":[{"type":"text","text":"compact now"}],"origin":{"kind":"system"},"time":1}',
  );
  assert.equal(t.facts().malformedLines, 1);
  assert.equal(t.facts().lastPrompt, null);
});
