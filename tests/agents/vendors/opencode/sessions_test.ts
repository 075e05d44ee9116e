/**
 * OpenCode sessions read from databases (and its older JSON tree) created here with node:sqlite from
 * the documented schemas: linking, tokens, recorded cost, the tool in flight, subagents, schema drift,
 * half-written files.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { OpenCodeSessionSource } from "../../../../agents/vendors/opencode/sessions.ts";
import { opencode } from "../../../../agents/vendors/opencode/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";
import { dbLinkContext as ctx, NOW, STARTED as START, tempDir } from "../../../support/sessions.ts";

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
    assert.deepEqual(f.currentTool, {
      name: "bash",
      arg: "bun test",
      id: "call_8",
      startedAt: NOW - 5000,
      asksFirst: true, // a permission `ask` would hold it: without a process past the grace it waits
    });
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
    const recent = src.recent([{ HOME: home }], NOW - 3_600_000).links;
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
    assert.deepEqual(src.recent([{ HOME: home }], NOW - 60_000).links.map((l) => l.id), ["ses_leg"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
