/**
 * OpenCode, Goose and Crush sessions read from databases (and OpenCode's older JSON tree, Goose's
 * older JSONL files) created here with node:sqlite from the documented schemas: linking, tokens,
 * recorded cost, the tool in flight, subagents, schema drift, a locked database, half-written files.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { LinkContext } from "../../../agents/vendor.ts";
import { OpenCodeSessionSource } from "../../../agents/vendors/opencode/sessions.ts";
import { GooseSessionSource } from "../../../agents/vendors/goose/sessions.ts";
import { crushDatabase, CrushSessionSource } from "../../../agents/vendors/crush/sessions.ts";
import { opencode } from "../../../agents/vendors/opencode/mod.ts";
import { goose } from "../../../agents/vendors/goose/mod.ts";
import { crush } from "../../../agents/vendors/crush/mod.ts";
import { assertReaderOf } from "../../support/sessions.ts";
import { BUSY, readDatabase } from "../../../agents/formats/sqlite.ts";

const NOW = Date.now();
const START = NOW - 60_000;

function ctx(over: Partial<LinkContext>): LinkContext {
  return {
    pid: 4242,
    startedAt: START,
    startId: 0,
    argv: ["opencode"],
    cwd: null,
    env: {},
    home: "/nonexistent",
    openFiles: [],
    childEnv: [],
    claimed: new Set(),
    now: NOW,
    ...over,
  };
}

async function tempDir(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "agtop-sqlite-" }));
}

// ---------------------------------------------------------------------------------------------------
// OpenCode

const OPENCODE_SCHEMA = `
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, workspace_id TEXT, parent_id TEXT,
  slug TEXT NOT NULL, directory TEXT NOT NULL, path TEXT, title TEXT NOT NULL, version TEXT NOT NULL,
  share_url TEXT, summary_additions INTEGER, summary_deletions INTEGER, summary_files INTEGER, summary_diffs TEXT,
  cost REAL NOT NULL DEFAULT 0, tokens_input INTEGER NOT NULL DEFAULT 0, tokens_output INTEGER NOT NULL DEFAULT 0,
  tokens_reasoning INTEGER NOT NULL DEFAULT 0, tokens_cache_read INTEGER NOT NULL DEFAULT 0,
  tokens_cache_write INTEGER NOT NULL DEFAULT 0, revert TEXT, permission TEXT, agent TEXT, model TEXT,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, time_compacting INTEGER, time_archived INTEGER);
CREATE INDEX session_parent_idx ON session (parent_id);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX message_session_time_created_id_idx ON message (session_id, time_created, id);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX part_message_id_id_idx ON part (message_id, id);
CREATE INDEX part_session_idx ON part (session_id);
CREATE TABLE todo (session_id TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL,
  position INTEGER NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL,
  PRIMARY KEY (session_id, position));
`;

/** OpenCode 1.2–1.15: no session totals, no agent/model/archive columns, parts without session_id. */
const OPENCODE_OLD_SCHEMA = `
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT, slug TEXT NOT NULL,
  directory TEXT NOT NULL, title TEXT NOT NULL, version TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
`;

/** Writes OpenCode rows the way OpenCode does. */
class OpenCodeWriter {
  db: DatabaseSync;
  constructor(path: string, schema: string, wal = true) {
    this.db = new DatabaseSync(path);
    if (wal) this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec(schema);
  }
  session(
    id: string,
    directory: string,
    o: { parent?: string; title?: string; updated?: number; agent?: string },
  ) {
    const cols = [
      "id",
      "project_id",
      "parent_id",
      "slug",
      "directory",
      "title",
      "version",
      "time_created",
      "time_updated",
    ];
    const vals: (string | number | null)[] = [
      id,
      "global",
      o.parent ?? null,
      "slug",
      directory,
      o.title ?? "New session",
      "1.18.33",
      START + 1000,
      o.updated ?? NOW - 1000,
    ];
    if (o.agent) cols.push("agent"), vals.push(o.agent);
    this.db.prepare(`INSERT INTO session (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`)
      .run(
        ...vals,
      );
  }
  message(id: string, session: string, at: number, data: unknown) {
    this.db.prepare(
      `INSERT OR REPLACE INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)`,
    ).run(id, session, at, at, JSON.stringify(data));
  }
  part(id: string, message: string, session: string, at: number, data: unknown) {
    const hasSession = this.db.prepare(
      `SELECT count(*) AS n FROM pragma_table_info('part') WHERE name = 'session_id'`,
    )
      .get() as { n: number };
    if (hasSession.n) {
      this.db.prepare(
        `INSERT OR REPLACE INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(id, message, session, at, at, JSON.stringify(data));
    } else {
      this.db.prepare(
        `INSERT OR REPLACE INTO part (id, message_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)`,
      ).run(id, message, at, at, JSON.stringify(data));
    }
  }
}

const assistant = (o: Record<string, unknown>) => ({
  role: "assistant",
  parentID: "msg_a1",
  modelID: "claude-sonnet-4-5",
  providerID: "anthropic",
  mode: "build",
  agent: "build",
  path: { cwd: "/x", root: "/x" },
  cost: 0,
  tokens: { total: 0, input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
  ...o,
});

/** A live session: a prompt, a finished step, a step running `bun test`, and a subagent mid-task. */
function writeLiveOpenCode(w: OpenCodeWriter, cwd: string): void {
  w.session("ses_main", cwd, { title: "Fix the build" });
  w.message("msg_a1", "ses_main", NOW - 9000, {
    role: "user",
    time: { created: NOW - 9000 },
    agent: "build",
    model: { providerID: "anthropic", modelID: "claude-sonnet-4-5" },
    summary: { diffs: [{ file: "a.ts", before: "x".repeat(5000), after: "y" }] },
  });
  w.part("prt_a1", "msg_a1", "ses_main", NOW - 9000, { type: "text", text: "fix the build" });
  w.part("prt_a2", "msg_a1", "ses_main", NOW - 9000, {
    type: "text",
    text: "<file>…</file>",
    synthetic: true,
  });
  w.message(
    "msg_a2",
    "ses_main",
    NOW - 8000,
    assistant({
      cost: 0.0123,
      time: { created: NOW - 8000, completed: NOW - 7000 },
      tokens: { total: 5216, input: 2000, output: 160, reasoning: 48, cache: { read: 3008, write: 0 } },
      finish: "tool-calls",
    }),
  );
  w.part("prt_b1", "msg_a2", "ses_main", NOW - 8000, { type: "text", text: "Running the tests." });
  w.part("prt_b2", "msg_a2", "ses_main", NOW - 7500, {
    type: "tool",
    tool: "read",
    callID: "call_1",
    state: {
      status: "completed",
      input: { filePath: "/x/package.json" },
      output: '{\n  "name": "x"\n}',
      title: "package.json",
      time: { start: NOW - 7500, end: NOW - 7400 },
    },
  });
  w.part("prt_b3", "msg_a2", "ses_main", NOW - 7000, {
    type: "tool",
    tool: "task",
    callID: "call_2",
    state: {
      status: "running",
      input: { description: "Probe subagent", prompt: "look around", subagent_type: "general" },
      metadata: { sessionId: "ses_child" },
      time: { start: NOW - 7000 },
    },
  });
  w.message(
    "msg_a3",
    "ses_main",
    NOW - 6000,
    assistant({ time: { created: NOW - 6000 } }),
  );
  w.part("prt_c1", "msg_a3", "ses_main", NOW - 5000, {
    type: "tool",
    tool: "bash",
    callID: "call_8",
    state: {
      status: "running",
      input: { command: "bun test", description: "Run tests" },
      title: "bun test",
      time: { start: NOW - 5000 },
    },
  });
  w.db.prepare(
    `INSERT INTO todo (session_id, content, status, priority, position, time_created, time_updated)
     VALUES ('ses_main', 'Make the tests pass', 'in_progress', 'high', 0, ?, ?)`,
  ).run(NOW, NOW);
  w.session("ses_child", cwd, {
    parent: "ses_main",
    title: "Probe subagent (@general subagent)",
    agent: "general",
  });
  w.message("msg_k1", "ses_child", NOW - 6500, { role: "user", time: { created: NOW - 6500 } });
  w.message(
    "msg_k2",
    "ses_child",
    NOW - 6400,
    assistant({
      modelID: "claude-haiku-4-5",
      cost: 0.001,
      time: { created: NOW - 6400 },
      tokens: { total: 150, input: 100, output: 50, reasoning: 0, cache: { read: 0, write: 0 } },
    }),
  );
  w.part("prt_k1", "msg_k2", "ses_child", NOW - 6300, {
    type: "tool",
    tool: "grep",
    callID: "call_k",
    state: { status: "running", input: { pattern: "TODO" }, time: { start: NOW - 6300 } },
  });
}

Deno.test("opencode: a live session in the database — tool in flight, subagent, tokens, recorded cost", async () => {
  const root = await tempDir();
  const home = `${root}/home`;
  const cwd = `${root}/proj`;
  const dataDir = `${home}/.local/share/opencode`;
  Deno.mkdirSync(dataDir, { recursive: true });
  Deno.mkdirSync(cwd);
  const db = `${dataDir}/opencode.db`;
  const w = new OpenCodeWriter(db, OPENCODE_SCHEMA);
  try {
    writeLiveOpenCode(w, cwd);
    // An older session in the same directory, active before the process started.
    w.session("ses_old", cwd, { updated: START - 3_600_000 });

    const src = new OpenCodeSessionSource();
    const link = src.link(ctx({ cwd, env: { HOME: home }, home }));
    assert.deepEqual(link, { path: `${db}#ses_main`, id: "ses_main", linkedBy: "cwd" });
    // The same session is not linked twice; the old one is not taken either.
    assert.equal(src.link(ctx({ cwd, env: { HOME: home }, home, claimed: new Set([link!.path]) })), null);
    // `-s ses_…` names it.
    const byArgv = src.link(ctx({ argv: ["opencode", "-s", "ses_old"], cwd, env: { HOME: home }, home }));
    assert.deepEqual(byArgv, { path: `${db}#ses_old`, id: "ses_old", linkedBy: "argv" });

    const f = src.read(link!, NOW)!;
    await assertReaderOf(opencode, OpenCodeSessionSource, "opencode");
    assert.equal(f.cwd, cwd);
    assert.equal(f.title, "Fix the build");
    assert.equal(f.lastPrompt, "fix the build");
    assert.equal(f.currentTask, "Make the tests pass");
    assert.equal(f.model, "claude-sonnet-4-5");
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool, { name: "bash", arg: "bun test", id: "call_8", startedAt: NOW - 5000 });
    // Session and subagent, each bucket as OpenCode splits it.
    assert.deepEqual(f.tokens, { input: 2100, output: 210, cacheRead: 3008, cacheWrite: 0, reasoning: 48 });
    assert.deepEqual(Object.keys(f.tokensByModel).sort(), ["claude-haiku-4-5", "claude-sonnet-4-5"]);
    assert.ok(Math.abs(f.costUsd! - 0.0133) < 1e-9);
    assert.equal(f.contextTokens, 5008);
    assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.description, s.status, s.model]), [
      ["ses_child", "general", "Probe subagent", "running", "claude-haiku-4-5"],
    ]);
    assert.deepEqual(f.subagents[0].currentTool?.name, "grep");
    assert.ok(f.activity.some((e) => e.kind === "tool" && e.text === "bash: bun test"));
    assert.ok(f.activity.some((e) => e.kind === "result" && e.text === "{"));
    assert.ok(!f.activity.some((e) => e.text.includes("<file>")), "synthetic text is not a prompt");
    assert.equal(f.malformedLines, 0);

    // The step finishes: the tool completes and the turn ends.
    w.part("prt_c1", "msg_a3", "ses_main", NOW - 5000, {
      type: "tool",
      tool: "bash",
      callID: "call_8",
      state: {
        status: "completed",
        input: { command: "bun test" },
        output: "12 pass",
        time: { start: NOW - 5000 },
      },
    });
    w.part("prt_b3", "msg_a2", "ses_main", NOW - 7000, {
      type: "tool",
      tool: "task",
      callID: "call_2",
      state: {
        status: "completed",
        input: { description: "Probe subagent" },
        metadata: { sessionId: "ses_child" },
      },
    });
    w.db.prepare(`UPDATE message SET time_updated = ?, data = ? WHERE id = 'msg_a3'`).run(
      NOW - 100,
      JSON.stringify(assistant({
        cost: 0.002,
        time: { created: NOW - 6000, completed: NOW - 100 },
        tokens: { total: 5400, input: 10, output: 90, reasoning: 0, cache: { read: 5300, write: 0 } },
        finish: "stop",
      })),
    );
    const g = src.read(link!, NOW + 1)!;
    assert.equal(g.turn, "ended");
    assert.equal(g.currentTool, null);
    assert.equal(g.stopReason, "stop");
    assert.equal(g.subagents[0].status, "done");
    assert.deepEqual(g.tokens, { input: 2110, output: 300, cacheRead: 8308, cacheWrite: 0, reasoning: 48 });
    assert.equal(g.contextTokens, 5310);

    // `ls --all`: top-level sessions active since the cut-off.
    const recent = src.recent([{ HOME: home }], NOW - 3_600_000);
    assert.deepEqual(recent.map((l) => l.id), ["ses_main"]);
  } finally {
    w.db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("opencode: an older schema (no totals, no agent/model columns) reads with nulls, not errors", async () => {
  const root = await tempDir();
  const cwd = `${root}/proj`;
  Deno.mkdirSync(cwd);
  const db = `${root}/custom.db`;
  const w = new OpenCodeWriter(db, OPENCODE_OLD_SCHEMA);
  try {
    w.session("ses_a", cwd, {});
    w.message("msg_1", "ses_a", NOW - 3000, { role: "user", time: { created: NOW - 3000 } });
    w.part("prt_1", "msg_1", "ses_a", NOW - 3000, { type: "text", text: "hello" });
    w.message(
      "msg_2",
      "ses_a",
      NOW - 2000,
      assistant({
        modelID: "gpt-5",
        time: { created: NOW - 2000, completed: NOW - 1000 },
        tokens: { total: 30, input: 20, output: 10, reasoning: 0, cache: { read: 0, write: 0 } },
        finish: "stop",
      }),
    );
    w.db.prepare(
      `INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)`,
    )
      .run("msg_bad", "ses_a", NOW - 500, NOW - 500, "{not json");
    const src = new OpenCodeSessionSource();
    // OPENCODE_DB, relative to the data directory.
    Deno.mkdirSync(`${root}/opencode`);
    const env = { HOME: `${root}/home`, XDG_DATA_HOME: root, OPENCODE_DB: "../custom.db" };
    const link = src.link(ctx({ cwd, env, home: env.HOME }));
    assert.equal(link?.id, "ses_a");
    const f = src.read(link!, NOW)!;
    assert.equal(f.turn, "ended");
    assert.equal(f.model, "gpt-5");
    assert.equal(f.lastPrompt, "hello");
    assert.equal(f.currentTask, null);
    assert.deepEqual(f.subagents, []);
    assert.deepEqual(f.tokens, { input: 20, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(f.costUsd, null, "a cost of 0 is no recorded cost");
    assert.equal(f.malformedLines, 1);
  } finally {
    w.db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("sqlite: a WAL database nobody has open is read without creating -wal or -shm", async () => {
  const root = await tempDir();
  const cwd = `${root}/proj`;
  Deno.mkdirSync(cwd);
  const db = `${root}/opencode.db`;
  const w = new OpenCodeWriter(db, OPENCODE_SCHEMA);
  writeLiveOpenCode(w, cwd);
  w.db.close(); // the last connection: SQLite checkpoints and removes -wal and -shm
  try {
    assert.equal(new Uint8Array(Deno.readFileSync(db).slice(18, 20))[0], 2, "the header says WAL");
    const src = new OpenCodeSessionSource();
    const env = { HOME: root, OPENCODE_DB: db };
    const link = src.link(ctx({ cwd, env, home: root }));
    assert.equal(link?.id, "ses_main");
    assert.equal(src.read(link!, NOW)?.currentTool?.arg, "bun test");
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), ["opencode.db", "proj"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("opencode: the JSON storage tree, with a half-written message file", async () => {
  const root = await tempDir();
  const home = `${root}/home`;
  const cwd = `${root}/proj`;
  Deno.mkdirSync(cwd);
  const storage = `${home}/.local/share/opencode/storage`;
  const write = (rel: string, v: unknown) => {
    const p = `${storage}/${rel}`;
    Deno.mkdirSync(p.slice(0, p.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(p, typeof v === "string" ? v : JSON.stringify(v));
  };
  try {
    write("session/abc123/ses_leg.json", {
      id: "ses_leg",
      projectID: "abc123",
      directory: cwd,
      title: "Legacy",
      version: "0.15.0",
      time: { created: NOW - 5000, updated: NOW - 1000 },
    });
    write("message/ses_leg/msg_1.json", {
      id: "msg_1",
      sessionID: "ses_leg",
      role: "user",
      time: { created: NOW - 5000 },
    });
    write("part/msg_1/prt_1.json", {
      id: "prt_1",
      messageID: "msg_1",
      sessionID: "ses_leg",
      type: "text",
      text: "add docs",
    });
    write(
      "message/ses_leg/msg_2.json",
      {
        id: "msg_2",
        sessionID: "ses_leg",
        ...assistant({ modelID: "gpt-5", time: { created: NOW - 4000 } }),
      },
    );
    write("part/msg_2/prt_2.json", {
      id: "prt_2",
      messageID: "msg_2",
      sessionID: "ses_leg",
      type: "tool",
      tool: "edit",
      callID: "c1",
      state: { status: "running", input: { filePath: `${cwd}/README.md` }, time: { start: NOW - 3000 } },
    });
    write("todo/ses_leg.json", [{ id: "1", content: "Write docs", status: "in_progress", priority: "high" }]);
    const full = JSON.stringify({
      id: "msg_3",
      sessionID: "ses_leg",
      ...assistant({
        modelID: "gpt-5",
        cost: 0.5,
        time: { created: NOW - 2000, completed: NOW - 1000 },
        tokens: { total: 9, input: 5, output: 4, reasoning: 0, cache: { read: 0, write: 0 } },
        finish: "stop",
      }),
    });
    write("message/ses_leg/msg_3.json", full.slice(0, 40)); // OpenCode is still writing it

    const src = new OpenCodeSessionSource();
    const link = src.link(ctx({ cwd, env: { HOME: home }, home }));
    assert.deepEqual(link, {
      path: `${storage}/session/abc123/ses_leg.json`,
      id: "ses_leg",
      linkedBy: "cwd",
    });
    const f = src.read(link!, NOW)!;
    assert.equal(f.malformedLines, 1);
    assert.equal(f.lastPrompt, "add docs");
    assert.equal(f.currentTask, "Write docs");
    assert.deepEqual(f.currentTool?.name, "edit");
    assert.equal(f.currentTool?.arg, `${cwd}/README.md`);
    assert.equal(f.turn, "working");

    write("message/ses_leg/msg_3.json", full);
    const later = NOW + 5000;
    Deno.utimeSync(`${storage}/message/ses_leg/msg_3.json`, later / 1000, later / 1000);
    const g = src.read(link!, later)!;
    assert.equal(g.malformedLines, 0);
    assert.equal(g.turn, "ended");
    assert.equal(g.currentTool, null);
    assert.deepEqual(g.tokens, { input: 5, output: 4, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(g.costUsd, 0.5);
    assert.deepEqual(src.recent([{ HOME: home }], NOW - 60_000).map((l) => l.id), ["ses_leg"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------------
// Goose

const GOOSE_SCHEMA = (extra: string) => `
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
  user_set_name BOOLEAN DEFAULT FALSE, session_type TEXT NOT NULL DEFAULT 'user', working_dir TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  extension_data TEXT DEFAULT '{}', total_tokens INTEGER, input_tokens INTEGER, output_tokens INTEGER,
  accumulated_total_tokens INTEGER, accumulated_input_tokens INTEGER, accumulated_output_tokens INTEGER,
  schedule_id TEXT, recipe_json TEXT, user_recipe_values_json TEXT${extra});
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT, session_id TEXT NOT NULL,
  role TEXT NOT NULL, content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL,
  timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, tokens INTEGER, metadata_json TEXT);
CREATE INDEX idx_messages_session ON messages(session_id);
`;
const GOOSE_V13 = `, provider_name TEXT, model_config_json TEXT, goose_mode TEXT NOT NULL DEFAULT 'auto',
  thread_id TEXT, archived_at TIMESTAMP, project_id TEXT, accumulated_cost REAL, cache_read_tokens INTEGER,
  cache_write_tokens INTEGER, accumulated_cache_read_tokens INTEGER, accumulated_cache_write_tokens INTEGER,
  parent_session_id TEXT`;

const sqliteTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const gooseMsg = (
  db: DatabaseSync,
  session: string,
  role: string,
  content: unknown[],
  at: number,
  meta?: unknown,
) =>
  db.prepare(
    `INSERT INTO messages (session_id, role, content_json, created_timestamp, metadata_json) VALUES (?, ?, ?, ?, ?)`,
  ).run(session, role, JSON.stringify(content), Math.floor(at / 1000), meta ? JSON.stringify(meta) : null);
const shell = (id: string, command: string) => ({
  type: "toolRequest",
  id,
  toolCall: { status: "success", value: { name: "developer__shell", arguments: { command } } },
});

Deno.test("goose: sessions.db — tool request without a response, accumulated tokens, cost, subagent", async () => {
  const root = await tempDir();
  const cwd = `${root}/proj`;
  Deno.mkdirSync(cwd);
  const dir = `${root}/goose/data/sessions`;
  Deno.mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(`${dir}/sessions.db`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(GOOSE_SCHEMA(GOOSE_V13));
  try {
    const insert = db.prepare(
      `INSERT INTO sessions (id, name, session_type, working_dir, created_at, updated_at, input_tokens,
        accumulated_input_tokens, accumulated_output_tokens, accumulated_cache_read_tokens,
        accumulated_cache_write_tokens, accumulated_cost, model_config_json, parent_session_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const model = JSON.stringify({ model_name: "gpt-4o", context_limit: 128000 });
    insert.run(
      "20261124_1",
      "Fix CI",
      "user",
      cwd,
      sqliteTime(NOW - 9000),
      sqliteTime(NOW - 1000),
      7000,
      12000,
      800,
      4000,
      1000,
      0.42,
      model,
      null,
    );
    insert.run(
      "20261124_2",
      "older",
      "user",
      cwd,
      sqliteTime(START - 9e6),
      sqliteTime(START - 9e6),
      0,
      0,
      0,
      0,
      0,
      null,
      model,
      null,
    );
    insert.run(
      "20261124_3",
      "helper",
      "sub_agent",
      cwd,
      sqliteTime(NOW - 5000),
      sqliteTime(NOW - 2000),
      0,
      500,
      50,
      0,
      0,
      0.01,
      JSON.stringify({ model_name: "gpt-4o-mini" }),
      "20261124_1",
    );
    gooseMsg(
      db,
      "20261124_1",
      "user",
      [{ type: "text", text: "<turn-context>x</turn-context>" }],
      NOW - 9000,
      {
        userVisible: false,
        agentVisible: true,
      },
    );
    gooseMsg(db, "20261124_1", "user", [{ type: "text", text: "make CI green" }], NOW - 8000);
    gooseMsg(
      db,
      "20261124_1",
      "assistant",
      [{ type: "text", text: "Looking." }, shell("call_1", "ls")],
      NOW - 7000,
    );
    gooseMsg(db, "20261124_1", "user", [{
      type: "toolResponse",
      id: "call_1",
      toolResult: { status: "success", value: [{ type: "text", text: "src\ntests" }] },
    }], NOW - 6000);
    gooseMsg(db, "20261124_1", "assistant", [shell("call_2", "cargo test")], NOW - 5000);
    gooseMsg(db, "20261124_3", "assistant", [shell("call_9", "rg TODO")], NOW - 2000);

    const src = new GooseSessionSource();
    const env = { GOOSE_PATH_ROOT: `${root}/goose` };
    const link = src.link(ctx({ argv: ["goose", "session"], cwd, env, home: root }));
    assert.deepEqual(link, { path: `${dir}/sessions.db#20261124_1`, id: "20261124_1", linkedBy: "cwd" });
    const byName = src.link(ctx({ argv: ["goose", "session", "--name", "older"], cwd, env, home: root }));
    assert.equal(byName?.id, "20261124_2");
    assert.equal(byName?.linkedBy, "argv");

    const f = src.read(link!, NOW)!;
    await assertReaderOf(goose, GooseSessionSource, "goose");
    assert.equal(f.cwd, cwd);
    assert.equal(f.title, "Fix CI");
    assert.equal(f.model, "gpt-4o");
    assert.equal(f.contextWindow, 128000);
    assert.equal(f.contextTokens, 7000);
    assert.equal(f.lastPrompt, "make CI green", "hidden messages are not prompts");
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool, {
      name: "developer__shell",
      arg: "cargo test",
      id: "call_2",
      startedAt: f.currentTool!.startedAt,
    });
    // Input includes cached input in Goose's counts: taken apart here. The subagent's usage is added.
    assert.deepEqual(f.tokens, { input: 7500, output: 850, cacheRead: 4000, cacheWrite: 1000, reasoning: 0 });
    assert.deepEqual(Object.keys(f.tokensByModel).sort(), ["gpt-4o", "gpt-4o-mini"]);
    assert.ok(Math.abs(f.costUsd! - 0.43) < 1e-9);
    assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.description, s.status, s.currentTool?.arg]), [
      ["20261124_3", "sub_agent", "helper", "running", "rg TODO"],
    ]);
    assert.ok(f.activity.some((e) => e.kind === "result" && e.text === "src"));

    // The tool answers and the reply ends: only the new rows are read.
    gooseMsg(db, "20261124_1", "user", [{
      type: "toolResponse",
      id: "call_2",
      toolResult: { status: "error", error: "tests failed" },
    }], NOW - 500);
    gooseMsg(db, "20261124_1", "assistant", [{ type: "text", text: "Two tests fail." }], NOW - 400);
    const g = src.read(link!, NOW + 1)!;
    assert.equal(g.turn, "ended");
    assert.equal(g.currentTool, null);
    assert.ok(g.activity.some((e) => e.kind === "error" && e.text === "tests failed"));
    assert.deepEqual(src.recent([env], NOW - 3_600_000).map((l) => l.id), ["20261124_1"]);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("goose: an old sessions.db without cost, cache or model columns; legacy JSONL sessions", async () => {
  const root = await tempDir();
  const cwd = `${root}/proj`;
  Deno.mkdirSync(cwd);
  const dir = `${root}/home/.local/share/goose/sessions`;
  Deno.mkdirSync(dir, { recursive: true });
  try {
    const db = new DatabaseSync(`${dir}/sessions.db`);
    db.exec(GOOSE_SCHEMA(""));
    db.prepare(
      `INSERT INTO sessions (id, working_dir, description, updated_at, input_tokens, output_tokens)
       VALUES ('20260101_1', ?, 'plain', ?, 300, 20)`,
    ).run(cwd, sqliteTime(NOW));
    db.close();
    const src = new GooseSessionSource();
    const env = { HOME: `${root}/home` };
    const link = src.link(ctx({ argv: ["goose"], cwd, env, home: env.HOME }));
    assert.equal(link?.id, "20260101_1");
    const f = src.read(link!, NOW)!;
    assert.equal(f.title, "plain");
    assert.equal(f.model, null);
    assert.equal(f.costUsd, null);
    assert.deepEqual(f.tokens, { input: 300, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(f.turn, "unknown");

    // Legacy: no sessions.db, one JSONL per session.
    Deno.removeSync(`${dir}/sessions.db`);
    const lines = [
      {
        working_dir: cwd,
        description: "legacy run",
        message_count: 2,
        input_tokens: 90,
        accumulated_input_tokens: 400,
        accumulated_output_tokens: 30,
      },
      {
        role: "user",
        created: Math.floor((NOW - 3000) / 1000),
        content: [{ type: "text", text: "tidy up" }],
      },
      { role: "assistant", created: Math.floor((NOW - 2000) / 1000), content: [shell("t1", "git status")] },
    ];
    Deno.writeTextFileSync(
      `${dir}/tidy.jsonl`,
      lines.map((l) => JSON.stringify(l)).join("\n") + '\n{"role":"us',
    );
    const legacy = new GooseSessionSource();
    const l = legacy.link(ctx({ argv: ["goose"], cwd, env, home: env.HOME }));
    assert.deepEqual(l, { path: `${dir}/tidy.jsonl`, id: "tidy", linkedBy: "cwd" });
    const g = legacy.read(l!, NOW)!;
    assert.equal(g.title, "legacy run");
    assert.equal(g.lastPrompt, "tidy up");
    assert.equal(g.currentTool?.arg, "git status");
    assert.deepEqual(g.tokens, { input: 400, output: 30, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    assert.equal(g.contextTokens, 90);
    assert.equal(g.malformedLines, 0, "a half-written last line waits");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------------
// Crush

const CRUSH_SCHEMA = `
CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL,
  message_count INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0.0, updated_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL, summary_message_id TEXT, todos TEXT);
CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
  parts BLOB NOT NULL DEFAULT '[]', model TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  finished_at INTEGER, provider TEXT, is_summary_message INTEGER DEFAULT 0 NOT NULL);
CREATE INDEX idx_messages_session_id ON messages (session_id);
`;

const sec = (ms: number) => Math.floor(ms / 1000);

function crushSession(
  db: DatabaseSync,
  id: string,
  o: { parent?: string; cost?: number; prompt?: number; todos?: unknown },
) {
  db.prepare(
    `INSERT INTO sessions (id, parent_session_id, title, prompt_tokens, completion_tokens, cost, updated_at, created_at, todos)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    o.parent ?? null,
    `title of ${id}`,
    o.prompt ?? 0,
    0,
    o.cost ?? 0,
    sec(NOW),
    sec(NOW - 9000),
    o.todos ? JSON.stringify(o.todos) : null,
  );
}

function crushMessage(
  db: DatabaseSync,
  id: string,
  session: string,
  role: string,
  parts: unknown[],
  at: number,
  finished?: number,
) {
  db.prepare(
    `INSERT OR REPLACE INTO messages (id, session_id, role, parts, model, provider, created_at, updated_at, finished_at)
     VALUES (?, ?, ?, ?, ?, 'anthropic', ?, ?, ?)`,
  ).run(
    id,
    session,
    role,
    JSON.stringify(parts),
    role === "assistant" ? "claude-sonnet-4-5" : null,
    sec(at),
    sec(at),
    finished ? sec(finished) : null,
  );
}

const call = (id: string, name: string, input: unknown) => ({
  type: "tool_call",
  data: { id, name, input: JSON.stringify(input), finished: true },
});

Deno.test("crush: project database — tool without result, recorded cost, context, subagent, todos", async () => {
  const root = await tempDir();
  const project = `${root}/api`;
  Deno.mkdirSync(`${project}/.crush`, { recursive: true });
  const path = `${project}/.crush/crush.db`;
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(CRUSH_SCHEMA);
  try {
    crushSession(db, "s-main", {
      cost: 0.31,
      prompt: 18000,
      todos: [{ content: "Add tests", status: "in_progress", active_form: "Adding tests" }],
    });
    crushSession(db, "title-s-main", { parent: "s-main" });
    crushSession(db, "m2$$call_a", { parent: "s-main", cost: 0.05 });
    crushMessage(db, "m1", "s-main", "user", [{ type: "text", data: { text: "add tests" } }], NOW - 8000);
    crushMessage(
      db,
      "m2",
      "s-main",
      "assistant",
      [
        { type: "text", data: { text: "Delegating." } },
        call("call_a", "agent", { prompt: "find the handlers" }),
        call("call_b", "bash", { command: "go test ./..." }),
        { type: "finish", data: { reason: "tool_use", time: sec(NOW - 7000) } },
      ],
      NOW - 7500,
      NOW - 7000,
    );
    crushMessage(
      db,
      "k1",
      "m2$$call_a",
      "assistant",
      [call("call_k", "grep", { pattern: "func Handle" })],
      NOW - 6000,
    );

    const src = new CrushSessionSource();
    assert.equal(crushDatabase(["crush", "--cwd", "api"], root), path);
    const link = src.link(ctx({ argv: ["crush"], cwd: project }));
    assert.deepEqual(link, { path: `${path}#s-main`, id: "s-main", linkedBy: "cwd" });
    const f = src.read(link!, NOW)!;
    await assertReaderOf(crush, CrushSessionSource, "crush");
    assert.equal(f.cwd, project);
    assert.equal(f.title, "title of s-main");
    assert.equal(f.model, "claude-sonnet-4-5");
    assert.equal(f.lastPrompt, "add tests");
    assert.equal(f.currentTask, "Adding tests");
    assert.equal(f.turn, "working");
    assert.deepEqual(f.currentTool, {
      name: "bash",
      arg: "go test ./...",
      id: "call_b",
      startedAt: sec(NOW - 7500) * 1000,
    });
    assert.equal(f.costUsd, 0.31, "Crush adds its subagents' cost to the parent's");
    assert.equal(f.contextTokens, 18000);
    assert.deepEqual(
      f.tokens,
      { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      "no totals recorded",
    );
    assert.deepEqual(f.tokensByModel, {});
    assert.deepEqual(f.subagents.map((s) => [s.id, s.type, s.status, s.currentTool?.arg]), [
      ["m2$$call_a", "agent", "running", "func Handle"],
    ]);

    // The results come back and the turn ends.
    crushMessage(db, "m3", "s-main", "tool", [
      { type: "tool_result", data: { tool_call_id: "call_a", name: "agent", content: "found 3" } },
      { type: "tool_result", data: { tool_call_id: "call_b", name: "bash", content: "ok", is_error: false } },
    ], NOW - 3000);
    crushMessage(
      db,
      "m4",
      "s-main",
      "assistant",
      [
        { type: "text", data: { text: "Done." } },
        { type: "finish", data: { reason: "end_turn", time: sec(NOW - 1000) } },
      ],
      NOW - 2000,
      NOW - 1000,
    );
    const g = src.read(link!, NOW + 11_000)!;
    assert.equal(g.turn, "ended");
    assert.equal(g.currentTool, null);
    assert.equal(g.subagents[0].status, "done");
    assert.equal(g.stopReason, "end_turn");
    // `-s <id>` names a session; `recent` knows the databases of agents seen.
    assert.equal(src.link(ctx({ argv: ["crush", "-s", "s-main"], cwd: project }))?.linkedBy, "argv");
    assert.deepEqual(src.recent([], NOW - 60_000).map((l) => l.id), ["s-main"]);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("crush: a locked database keeps the last facts; a first read while locked is null", async () => {
  const root = await tempDir();
  const project = `${root}/web`;
  Deno.mkdirSync(`${project}/.crush`, { recursive: true });
  const path = `${project}/.crush/crush.db`;
  const db = new DatabaseSync(path); // rollback journal: a writer's lock blocks readers
  db.exec(CRUSH_SCHEMA);
  try {
    crushSession(db, "s1", { cost: 0.1 });
    crushMessage(db, "m1", "s1", "user", [{ type: "text", data: { text: "hi" } }], NOW - 5000);
    const src = new CrushSessionSource();
    const link = src.link(ctx({ argv: ["crush"], cwd: project }))!;
    assert.equal(src.read(link, NOW)?.lastPrompt, "hi");

    db.exec("BEGIN EXCLUSIVE");
    db.prepare(`UPDATE sessions SET cost = 9, title = 'changed' WHERE id = 's1'`).run();
    assert.equal(readDatabase(path, (d) => d.all("SELECT id FROM sessions").length), BUSY);
    // The file changed (a writer's spilled pages): read again, found locked, the last facts stay.
    Deno.utimeSync(path, NOW / 1000 + 3600, NOW / 1000 + 3600);
    const kept = src.read(link, NOW + 11_000);
    assert.equal(kept?.costUsd, 0.1);
    assert.equal(kept?.lastPrompt, "hi");
    assert.equal(new CrushSessionSource().read(link, NOW), null);
    db.exec("COMMIT");
    assert.equal(src.read(link, NOW + 22_000)?.costUsd, 9);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("sqlite: missing files, missing tables and missing columns", async () => {
  const root = await tempDir();
  try {
    assert.equal(readDatabase(`${root}/none.db`, () => 1), null);
    Deno.writeTextFileSync(
      `${root}/text.db`,
      "not a database at all, just text that is long enough ".repeat(4),
    );
    assert.equal(readDatabase(`${root}/text.db`, (d) => d.all("SELECT 1")), null);
    const db = new DatabaseSync(`${root}/x.db`);
    db.exec("CREATE TABLE t (a INTEGER)");
    db.exec("INSERT INTO t VALUES (7)");
    db.close();
    const row = readDatabase(`${root}/x.db`, (d) => d.get(`SELECT ${d.select("t", ["a", "b"])} FROM t`));
    assert.deepEqual({ ...row as object }, { a: 7, b: null });
    assert.equal(readDatabase(`${root}/x.db`, (d) => d.columns("nope").size), 0);
    assert.equal(
      new OpenCodeSessionSource().read({ path: `${root}/x.db#ses_1`, id: "ses_1", linkedBy: "cwd" }, NOW),
      null,
    );
    assert.equal(
      new GooseSessionSource().read({ path: `${root}/x.db#1`, id: "1", linkedBy: "cwd" }, NOW),
      null,
    );
    assert.equal(
      new CrushSessionSource().read({ path: `${root}/x.db#1`, id: "1", linkedBy: "cwd" }, NOW),
      null,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
