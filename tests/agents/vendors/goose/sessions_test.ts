/**
 * Goose sessions read from databases (and its older JSONL files) created here with node:sqlite from
 * the documented schemas: linking, tokens, recorded cost, the tool in flight, subagents, schema drift.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { GooseSessionSource } from "../../../../agents/vendors/goose/sessions.ts";
import { goose } from "../../../../agents/vendors/goose/mod.ts";
import { assertReaderOf } from "../../../support/sessions.ts";
import { dbLinkContext as ctx, NOW, STARTED as START, tempDir } from "../../../support/sessions.ts";
import { GOOSE_SCHEMA, GOOSE_V13, gooseMsg, shell, sqliteTime } from "../../../support/goose.ts";

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
    assert.deepEqual(src.recent([env], NOW - 3_600_000).links.map((l) => l.id), ["20261124_1"]);
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

Deno.test("goose: a v10 conversation in thread_messages — the tool in flight, a copy read once, a compaction", async () => {
  const root = await tempDir();
  const dir = `${root}/goose/data/sessions`;
  Deno.mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(`${dir}/sessions.db`);
  db.exec(GOOSE_SCHEMA(GOOSE_V13));
  db.exec(`CREATE TABLE thread_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id TEXT NOT NULL,
    session_id TEXT, message_id TEXT, role TEXT NOT NULL, content_json TEXT NOT NULL,
    created_timestamp INTEGER NOT NULL, metadata_json TEXT DEFAULT '{}')`);
  const threadMsg = (
    session: string | null,
    messageId: string,
    role: string,
    content: unknown[],
    at: number,
  ) =>
    db.prepare(
      `INSERT INTO thread_messages (thread_id, session_id, message_id, role, content_json, created_timestamp)
       VALUES ('thread-1', ?, ?, ?, ?, ?)`,
    ).run(session, messageId, role, JSON.stringify(content), Math.floor(at / 1000));
  try {
    db.prepare(
      `INSERT INTO sessions (id, name, working_dir, created_at, updated_at, thread_id) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run("s1", "Deploy", root, sqliteTime(NOW - 9000), sqliteTime(NOW - 1000), "thread-1");
    // The first prompt in both tables (a copy: the same message id), the rest only in the thread.
    db.prepare(
      `INSERT INTO messages (message_id, session_id, role, content_json, created_timestamp) VALUES (?, ?, ?, ?, ?)`,
    ).run(
      "msg_s1_1",
      "s1",
      "user",
      JSON.stringify([{ type: "text", text: "ship it" }]),
      Math.floor((NOW - 9000) / 1000),
    );
    threadMsg("s1", "msg_s1_1", "user", [{ type: "text", text: "ship it" }], NOW - 9000);
    threadMsg(null, "msg_s1_2", "assistant", [shell("call_1", "make deploy")], NOW - 8000);

    const src = new GooseSessionSource();
    const link = { path: `${dir}/sessions.db#s1`, id: "s1", linkedBy: "recent" };
    const f = src.read(link, NOW)!;
    assert.equal(f.lastPrompt, "ship it");
    assert.equal(f.turn, "working");
    assert.equal(f.currentTool?.arg, "make deploy");
    assert.equal(f.activity.filter((e) => e.kind === "prompt").length, 1, "the copied prompt is read once");

    threadMsg("s1", "msg_s1_3", "user", [{
      type: "toolResponse",
      id: "call_1",
      toolResult: { status: "success", value: [{ type: "text", text: "deployed" }] },
    }], NOW - 3000);
    threadMsg("s1", "msg_s1_4", "assistant", [{ type: "text", text: "Deployed." }], NOW - 2000);
    const g = src.read(link, NOW + 1)!;
    assert.equal(g.turn, "ended");
    assert.equal(g.currentTool, null);

    // Goose compacts the thread: its rows are replaced, and the conversation is read again from the new rows.
    db.exec(`DELETE FROM thread_messages`);
    threadMsg("s1", "msg_s1_5", "user", [{ type: "text", text: "summary so far" }], NOW - 500);
    threadMsg("s1", "msg_s1_6", "assistant", [shell("call_2", "make verify")], NOW - 400);
    const h = src.read(link, NOW + 2)!;
    assert.equal(h.turn, "working");
    assert.equal(h.currentTool?.arg, "make verify");
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});
