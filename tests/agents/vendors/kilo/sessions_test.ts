/**
 * Kilo Code: the node shim and the native `.kilo` are one agent, and its sessions are OpenCode's store
 * under Kilo's name, read from what Kilo 7.7.7 wrote (tests/fixtures/kilo/in-flight.sql: a finished
 * turn, then a `task` subagent whose `bash` call is in flight), session totals first.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { detect } from "../../../../agents/detect.ts";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { kilo } from "../../../../agents/vendors/kilo/mod.ts";
import { KiloSessionSource } from "../../../../agents/vendors/kilo/sessions.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURE = new URL("../../../fixtures/kilo/in-flight.sql", import.meta.url).pathname;
const PARENT = "ses_db3e7e956ffeB0xHmh1IQDqk2k";
const CHILD = "ses_db3e75b49ffeInDnb4RxOp9IpE";
const NM = "/home/me/lab/node_modules";

/** Kilo's database at `path` from the fixture, its sessions moved to `cwd` and written `at`, then `sql` run. */
function writeStore(path: string, cwd: string, at: number, sql = ""): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(Deno.readTextFileSync(FIXTURE));
  db.prepare("UPDATE session SET directory = ?, time_updated = ?").run(cwd, at);
  db.exec(sql);
  db.close();
}

Deno.test("kilo: the node shim and the native .kilo it starts are one agent, .kilo's", () => {
  const shim = proc(10, 1, "node", "/usr/bin/node", ["node", `${NM}/.bin/kilo`]);
  const exe = `${NM}/@kilocode/cli/bin/.kilo`;
  const native = proc(11, 10, ".kilo", exe, [exe]);
  const tool = proc(12, 11, "bash", "/bin/bash", ["/bin/bash", "-c", "sleep 300"]);
  const found = detect([shim, native, tool], VENDORS, () => `${NM}/@kilocode/cli/bin/kilo`);
  assert.equal(found.length, 1);
  assert.equal(found[0].main.pid, 11);
  assert.deepEqual(found[0].members.map((m) => `${m.process.pid}:${m.role}`), ["10:launcher"]);
  assert.deepEqual(found[0].children.map((p) => p.pid), [12]);
  assert.equal(kilo.recognise(proc(20, 1, ".kilo", exe, [exe, "serve"]), null), null);
});

Deno.test("kilo: the session of the working directory, its subagent and tool, the session's own totals", async () => {
  await assertReaderOf(kilo, KiloSessionSource, "kilo");
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const now = Date.now();
    writeStore(`${home}/.local/share/kilo/kilo.db`, cwd, now);
    const source = new KiloSessionSource();
    const link = source.link(linkContext(home, { argv: ["kilo"], cwd, startedAt: now - 60_000, now }));
    assert.equal(link?.id, PARENT);
    assert.equal(link?.linkedBy, "cwd");
    const f = source.read(link!, now)!;
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool?.name, "task");
    assert.equal(f.currentTool?.arg, "Probe subagent (general)");
    assert.equal(f.lastPrompt, "USE_SUBAGENT to run the probe");
    assert.equal(f.model, "mock-model");
    assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.status, s.currentTool?.arg]), [
      [CHILD, "general", "running", "sleep 300; echo agtop-probe-done"],
    ]);
    // Kilo wrote the rule that allowed the call (`state.metadata.approval`): no dialog can hold it.
    assert.equal(f.subagents[0].currentTool?.asksFirst, undefined);
    const asking = `UPDATE part SET data = json_remove(data, '$.state.metadata.approval')
      WHERE json_extract(data, '$.state.status') = 'running' AND json_extract(data, '$.tool') = 'bash'`;
    Deno.removeSync(`${home}/.local/share/kilo`, { recursive: true });
    writeStore(`${home}/.local/share/kilo/kilo.db`, cwd, now, asking);
    const again = new KiloSessionSource();
    const held = again.read(
      again.link(linkContext(home, { argv: ["kilo"], cwd, startedAt: now - 60_000, now }))!,
      now,
    )!;
    assert.equal(
      held.subagents[0].currentTool?.asksFirst,
      true,
      "without it, a permission `ask` may hold it",
    );
    // The parent's totals as Kilo keeps them (its subagent's session has none yet: its messages count).
    assert.deepEqual(f.tokens, { input: 4000, output: 320, cacheRead: 6003, cacheWrite: 0, reasoning: 83 });
    assert.deepEqual(source.recent([{ HOME: home }], 0).links.map((l) => l.id), [PARENT]);
  });
});

Deno.test("kilo: the session's totals and cost come first; without totals the messages are summed", () => {
  withHome((home) => {
    const cwd = `${home}/work/app`;
    const now = Date.now();
    const ctx = (env: Record<string, string>) =>
      linkContext(home, { argv: ["kilo"], cwd, env, startedAt: now - 60_000, now });
    // KILO_DB moves the store.
    const totals = `${home}/elsewhere/totals.db`;
    writeStore(
      totals,
      cwd,
      now,
      `UPDATE session SET tokens_output = 999, cost = 0.25 WHERE id = '${PARENT}'`,
    );
    let source = new KiloSessionSource();
    let f = source.read(source.link(ctx({ HOME: home, KILO_DB: totals }))!, now)!;
    assert.equal(f.tokens.output, 999);
    assert.equal(f.costUsd, 0.25);
    const none = `${home}/elsewhere/none.db`;
    writeStore(
      none,
      cwd,
      now,
      "UPDATE session SET tokens_input = 0, tokens_output = 0, tokens_reasoning = 0, tokens_cache_read = 0",
    );
    source = new KiloSessionSource();
    f = source.read(source.link(ctx({ HOME: home, KILO_DB: none }))!, now)!;
    // The parent's assistant messages (the newest, its task call, still without usage).
    assert.deepEqual(f.tokens, { input: 4000, output: 320, cacheRead: 6003, cacheWrite: 0, reasoning: 83 });
    assert.equal(f.costUsd, null);
  });
});
