/**
 * OpenClaw: the node launcher and its titled child are one agent, and its sessions are read from the
 * agent database OpenClaw 2026.9.6 wrote (tests/fixtures/openclaw/agent.sql: a finished turn, then an
 * `exec` call, then its "still running" result): pi-format events kept in SQLite, with OpenClaw's cost.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { zstdCompressSync } from "node:zlib";
import { detect } from "../../../../agents/detect.ts";
import { VENDORS } from "../../../../agents/vendors/mod.ts";
import { openclaw } from "../../../../agents/vendors/openclaw/mod.ts";
import { OpenClawSessionSource, openclawStateDir } from "../../../../agents/vendors/openclaw/sessions.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURE = new URL("../../../fixtures/openclaw/agent.sql", import.meta.url).pathname;
const SESSION = "2e4e0633-48a0-4563-adaf-7e33b58b32aa";
const PKG = "/home/me/.npm-global/lib/node_modules/openclaw";

/** The agent database of `state` from the fixture, events after `lastSeq` left out, written `at`. */
function writeAgentDb(state: string, lastSeq: number, at: number, agent = "main"): string {
  const dir = `${state}/agents/${agent}/agent`;
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/openclaw-agent.sqlite`;
  const db = new DatabaseSync(path);
  db.exec(Deno.readTextFileSync(FIXTURE));
  db.prepare("DELETE FROM transcript_events WHERE seq > ?").run(lastSeq);
  db.prepare("UPDATE session_windows SET updated_at = ?, transcript_updated_at = ?").run(at, at);
  db.close();
  return path;
}

Deno.test("openclaw: the launcher and the titled child are one agent; relays and other commands are not", () => {
  const launcher = proc(10, 1, "MainThread", "/usr/bin/node", [
    "node",
    `${PKG}/openclaw.mjs`,
    "agent",
    "--local",
    "--agent",
    "main",
    "-m",
    "run the probe",
  ]);
  const agent = proc(11, 10, "openclaw-agent", "/usr/bin/node", ["openclaw-agent"]);
  const relay = proc(12, 11, "MainThread", "/usr/bin/node", [
    "/usr/bin/node",
    `${PKG}/dist/process/supervisor/service-child-relay.js`,
  ]);
  const tool = proc(13, 12, "bash", "/bin/bash", ["/bin/bash", "--noprofile", "--norc", "-c", "sleep 40"]);
  const found = detect([launcher, agent, relay, tool], VENDORS, (p) => p.argv[1] ?? null);
  assert.equal(found.length, 1);
  assert.equal(found[0].vendor.id, "openclaw");
  assert.equal(found[0].main.pid, 11);
  assert.deepEqual(found[0].members.map((m) => `${m.process.pid}:${m.role}`), ["10:launcher"]);
  assert.deepEqual(found[0].children.map((p) => p.pid), [12, 13]);
  // The gateway's title, cut by the kernel to 15 characters.
  assert.equal(
    openclaw.recognise(proc(20, 1, "openclaw-gatewa", "/usr/bin/node", ["openclaw-gateway"]), null),
    "main",
  );
  const config = proc(21, 1, "MainThread", "/usr/bin/node", ["node", `${PKG}/openclaw.mjs`, "config", "get"]);
  assert.equal(openclaw.recognise(config, `${PKG}/openclaw.mjs`), null);
  assert.equal(
    openclaw.recognise(proc(22, 1, "openclaw-agent", "/usr/bin/python3", ["openclaw-agent"]), null),
    null,
  );
});

Deno.test("openclaw: the state directory follows OPENCLAW_STATE_DIR, OPENCLAW_HOME and OPENCLAW_PROFILE", () => {
  assert.equal(openclawStateDir({}, "/home/me"), "/home/me/.openclaw");
  assert.equal(openclawStateDir({ OPENCLAW_PROFILE: "default" }, "/home/me"), "/home/me/.openclaw");
  assert.equal(openclawStateDir({ OPENCLAW_PROFILE: "dev" }, "/home/me"), "/home/me/.openclaw-dev");
  assert.equal(openclawStateDir({ OPENCLAW_HOME: "/srv/oc" }, "/home/me"), "/srv/oc/.openclaw");
  assert.equal(openclawStateDir({ OPENCLAW_STATE_DIR: "~/state" }, "/home/me"), "/home/me/state");
  assert.deepEqual(new OpenClawSessionSource().dataDirs({ OPENCLAW_PROFILE: "w" }, "/h"), [
    { path: "/h/.openclaw-w/agents", from: "OPENCLAW_PROFILE" },
  ]);
});

Deno.test("openclaw: the session written since start, its exec call in flight, then answered; cost as recorded", async () => {
  await assertReaderOf(openclaw, OpenClawSessionSource, "openclaw");
  withHome((home) => {
    const now = Date.now();
    const db = writeAgentDb(`${home}/.openclaw`, 8, now);
    const source = new OpenClawSessionSource();
    const ctx = linkContext(home, {
      argv: ["openclaw-agent"],
      cwd: "/tmp/a2/proj",
      startedAt: now - 60_000,
      now,
    });
    const link = source.link(ctx);
    assert.deepEqual(link, { path: `${db}#${SESSION}`, id: SESSION, linkedBy: "start" });
    assert.equal(source.link({ ...ctx, claimed: new Set([link!.path]) }), null, "never linked twice");
    assert.equal(
      source.link({ ...ctx, startedAt: now + 60_000 }),
      null,
      "written before the process started",
    );

    const f = source.read(link!, now)!;
    assert.equal(f.id, SESSION);
    assert.equal(f.cwd, "/tmp/a2/proj");
    assert.equal(f.model, "mock-model");
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool, {
      name: "exec",
      arg: "sleep 40; echo agtop-probe-done",
      id: "call_1",
      startedAt: 1796580719059,
    });
    assert.equal(f.lastPrompt, "run the probe");
    assert.deepEqual(f.tokens, { input: 4000, output: 320, cacheRead: 6002, cacheWrite: 0, reasoning: 82 });
    assert.equal(f.contextTokens, 5001);
    assert.ok(Math.abs(f.costUsd! - 2 * 0.0099153) < 1e-12, String(f.costUsd));

    // The result arrives: only the new event is read; the turn goes on (the model is asked again).
    const d = new DatabaseSync(db);
    d.exec(
      Deno.readTextFileSync(FIXTURE).split("\n").filter((l) => l.includes("transcript_events VALUES (")).join(
        "\n",
      ).replace(/INSERT INTO/g, "INSERT OR IGNORE INTO"),
    );
    d.prepare("UPDATE session_windows SET transcript_updated_at = ?").run(now + 1000);
    d.close();
    const g = source.read(link!, now + 1000)!;
    assert.equal(g.currentTool, null);
    assert.equal(g.turn, "working");
    assert.match(g.activity.at(-1)?.text ?? "", /^Command still running/);
    assert.deepEqual(source.recent([{ HOME: home }], now - 5000).links.map((l) => l.id), [SESSION]);
  });
});

Deno.test("openclaw: a finished turn; a compressed event; a spawned subagent; another agent's database", () => {
  withHome((home) => {
    const now = Date.now();
    const db = writeAgentDb(`${home}/.openclaw`, 6, now);
    const d = new DatabaseSync(db);
    // Large events are kept zstd-compressed: one such, and one that does not decompress.
    const event = JSON.stringify({ type: "session_info", name: "Probe run", id: "x", parentId: null });
    d.prepare(
      "INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES (?, 7, NULL, ?, ?, ?, ?)",
    ).run(SESSION, now, zstdCompressSync(new TextEncoder().encode(event)), event.length, NAV);
    d.prepare(
      "INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES (?, 8, NULL, ?, ?, 3, ?)",
    ).run(SESSION, now, new Uint8Array([1, 2, 3]), NAV);
    d.prepare(
      "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at) VALUES ('agent:main:subagent:1', 'sub-1', '{}', ?)",
    ).run(now);
    d.prepare(
      `INSERT INTO session_windows (session_id, session_key, created_at, updated_at, status, model, parent_session_key, display_name)
       VALUES ('sub-1', 'agent:main:subagent:1', ?, ?, 'running', 'mock-model', 'agent:main:main', 'Probe subagent')`,
    ).run(now, now);
    d.close();
    const source = new OpenClawSessionSource();
    const link = source.link(
      linkContext(home, { argv: ["openclaw-gateway"], startedAt: now - 60_000, now }),
    )!;
    assert.equal(link.id, SESSION, "subagent sessions are not linked to processes");
    const f = source.read(link, now)!;
    assert.equal(f.turn, "ended");
    assert.equal(f.currentTool, null);
    assert.equal(f.title, "Probe run");
    assert.equal(f.malformedLines, 1);
    assert.deepEqual(f.subagents.map((s) => [s.id, s.status, s.description, s.model]), [
      ["sub-1", "running", "Probe subagent", "mock-model"],
    ]);

    // A second agent's database with a newer session: that one is linked first.
    const other = writeAgentDb(`${home}/.openclaw`, 4, now + 500, "coder");
    const newer = new OpenClawSessionSource().link(linkContext(home, { startedAt: now - 60_000, now }))!;
    assert.equal(newer.path, `${other}#${SESSION}`);
  });
});

/** A navigation document as OpenClaw stores beside a compressed event (its CHECK constraint's shape). */
const NAV = JSON.stringify({
  version: 1,
  report: { kind: "canonical" },
  navigation: {},
  reset: {},
  model: {},
  modelBytes: 0,
  modelWithoutCheckpointBytes: 0,
  withoutCustomDataBytes: 0,
});
