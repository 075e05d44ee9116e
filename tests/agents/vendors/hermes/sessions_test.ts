/**
 * Hermes Agent: Python running its console scripts, and its `state.db` read from a database built with
 * its schema and rows written from the format (tests/fixtures/hermes/state.sql; Hermes was not run):
 * the session's own counters and cost, the tool in flight, a subagent session, a compression's
 * continuation.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { hermes } from "../../../../agents/vendors/hermes/mod.ts";
import { hermesHome, HermesSessionSource } from "../../../../agents/vendors/hermes/sessions.ts";
import { hermesToolCalls } from "../../../../agents/vendors/hermes/transcript.ts";
import { makeProcess as proc } from "../../../support/agents.ts";
import { assertReaderOf, linkContext, withHome } from "../../../support/sessions.ts";

const FIXTURE = new URL("../../../fixtures/hermes/state.sql", import.meta.url).pathname;
const SESSION = "20261206_181000_a1b2c3";
const CHILD = "20261206_181050_d4e5f6";
const CWD = "/home/me/work/app";
const PY = "/home/me/.hermes/hermes-agent/venv/bin/python";

/** Hermes's database under `home` from the fixture, its times moved so that it was written at `at` (ms), then `sql`. */
function writeState(home: string, at: number, sql = ""): string {
  Deno.mkdirSync(`${home}/.hermes`, { recursive: true });
  const path = `${home}/.hermes/state.db`;
  const db = new DatabaseSync(path);
  db.exec(Deno.readTextFileSync(FIXTURE));
  const shift = at / 1000 - 1796580660.5;
  db.prepare("UPDATE sessions SET started_at = started_at + ?, last_activity_at = last_activity_at + ?").run(
    shift,
    shift,
  );
  db.prepare("UPDATE messages SET timestamp = timestamp + ?").run(shift);
  db.exec(sql);
  db.close();
  return path;
}

Deno.test("hermes: Python running its console scripts or module; management commands and a native `hermes` are not", () => {
  assert.equal(hermes.recognise(proc(10, 1, "hermes", PY, [PY, "/home/me/.local/bin/hermes"]), null), "main");
  assert.equal(
    hermes.recognise(
      proc(11, 1, "python3", "/usr/bin/python3.14", ["python3", "-m", "hermes_cli.main", "chat"]),
      null,
    ),
    "main",
  );
  assert.equal(
    hermes.recognise(proc(12, 1, "hermes", PY, [PY, "/home/me/.local/bin/hermes", "gateway"]), null),
    "main",
  );
  assert.equal(
    hermes.recognise(
      proc(13, 1, "hermes", PY, [PY, "/home/me/.local/bin/hermes", "gateway", "status"]),
      null,
    ),
    null,
  );
  assert.equal(
    hermes.recognise(proc(14, 1, "hermes", PY, [PY, "/home/me/.local/bin/hermes", "doctor"]), null),
    null,
  );
  assert.equal(
    hermes.recognise(proc(15, 1, "hermes", "/opt/rn/hermes", ["hermes", "bundle.js"]), null),
    null,
  );
});

Deno.test("hermes: HERMES_HOME moves the database; tool calls are read from their JSON column", () => {
  assert.equal(hermesHome({}, "/home/me"), "/home/me/.hermes");
  assert.equal(hermesHome({ HERMES_HOME: "~/h" }, "/home/me"), "/home/me/h");
  assert.deepEqual(
    hermesToolCalls(
      '[{"id":"c","type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"a.ts\\"}"}}]',
    ),
    [
      { id: "c", name: "read_file", arg: "a.ts" },
    ],
  );
  assert.deepEqual(hermesToolCalls("[{broken"), []);
});

Deno.test("hermes: the cwd's session since start, its subagent in flight, its counters and recorded cost", async () => {
  await assertReaderOf(hermes, HermesSessionSource, "hermes");
  withHome((home) => {
    const now = Date.now();
    const db = writeState(home, now);
    const source = new HermesSessionSource();
    const ctx = linkContext(home, { argv: [PY, "/usr/bin/hermes"], cwd: CWD, startedAt: now - 120_000, now });
    const link = source.link(ctx);
    assert.deepEqual(link, { path: `${db}#${SESSION}`, id: SESSION, linkedBy: "cwd" });
    assert.equal(source.link({ ...ctx, cwd: "/elsewhere" }), null);
    assert.equal(source.link({ ...ctx, claimed: new Set([link!.path]) }), null);
    const byArgv = source.link({
      ...ctx,
      cwd: "/elsewhere",
      argv: [PY, "/usr/bin/hermes", "--resume", SESSION],
    });
    assert.equal(byArgv?.linkedBy, "argv");
    const gateway = source.link({ ...ctx, cwd: "/srv", argv: [PY, "/usr/bin/hermes", "gateway"] });
    assert.deepEqual(gateway, { path: `${db}#${SESSION}`, id: SESSION, linkedBy: "start" });

    const f = source.read(link!, now)!;
    assert.equal(f.cwd, CWD);
    assert.equal(f.gitBranch, "main");
    assert.equal(f.title, "Run the probe");
    assert.equal(f.model, "anthropic/claude-sonnet-4.5");
    assert.equal(f.turn, "working");
    assert.equal(f.currentTool?.name, "delegate_task");
    assert.equal(f.currentTool?.arg, "Run the probe shell command and report.");
    assert.equal(f.lastPrompt, "delegate the probe to a subagent", "the hidden note is no prompt");
    // The session's own counters and its subagent's.
    assert.deepEqual(f.tokens, { input: 5500, output: 493, cacheRead: 6001, cacheWrite: 120, reasoning: 0 });
    assert.equal(f.costUsd, 0.0312);
    assert.deepEqual(f.subagents.map((s) => [s.id, s.description, s.status, s.model]), [
      [CHILD, "Probe subagent", "running", "anthropic/claude-haiku-4.5"],
    ]);
    assert.deepEqual(source.recent([{ HOME: home }], now - 600_000).links.map((l) => l.id), [SESSION]);
  });
});

Deno.test("hermes: a finished turn; a compression's continuation is linked, not listed as a subagent", () => {
  withHome((home) => {
    const now = Date.now();
    writeState(
      home,
      now,
      `DELETE FROM messages WHERE id > 4;
       UPDATE sessions SET actual_cost_usd = 0.05 WHERE id = '${SESSION}';
       UPDATE sessions SET ended_at = started_at + 5 WHERE id = '${CHILD}';`,
    );
    const source = new HermesSessionSource();
    const ctx = linkContext(home, { cwd: CWD, startedAt: now - 120_000, now });
    const f = source.read(source.link(ctx)!, now)!;
    assert.equal(f.turn, "ended");
    assert.equal(f.currentTool, null);
    assert.equal(f.costUsd, 0.05 + 0, "the actual cost before the estimate");
    assert.equal(f.subagents[0].status, "done");

    // The conversation goes on in a new session after a compression.
    const db = new DatabaseSync(`${home}/.hermes/state.db`);
    db.exec(
      `UPDATE sessions SET ended_at = started_at + 50, end_reason = 'compression' WHERE id = '${SESSION}';
      DELETE FROM sessions WHERE id = '${CHILD}';`,
    );
    db.prepare(
      `INSERT INTO sessions (id, source, model, parent_session_id, started_at, cwd, last_activity_at)
       VALUES ('cont', 'cli', 'anthropic/claude-sonnet-4.5', ?, ?, ?, ?)`,
    ).run(SESSION, now / 1000, CWD, now / 1000);
    db.close();
    const next = new HermesSessionSource().link({ ...ctx, now: now + 1000 });
    assert.equal(next?.id, "cont");
    assert.deepEqual(source.read({ ...next! }, now + 1000)?.subagents, []);
  });
});
