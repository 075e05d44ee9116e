/**
 * Goose's tool calls from `sessions.db` databases created here with node:sqlite from the documented
 * schema (and from an older JSONL session file): an ok call, failed ones (an error status, a result
 * marked `isError`), one without a response, an MCP server's tool, a subagent's call, and the v10
 * `thread_messages` table.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { gooseMcpTool, gooseToolCalls } from "../../../../agents/vendors/goose/tools.ts";
import { callFacts } from "../../../support/tool_calls.ts";
import { tempDir } from "../../../support/sessions.ts";
import { GOOSE_SCHEMA, GOOSE_V13, gooseMsg, shell } from "../../../support/goose.ts";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const response = (id: string, toolResult: unknown) => ({ type: "toolResponse", id, toolResult });
const ok = (text: string) => ({ status: "success", value: [{ type: "text", text }] });

/** A database of session `s1` and its subagent's session `s1-sub`, with `extra` SQL run after the schema. */
function gooseDb(path: string, extra = ""): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(GOOSE_SCHEMA(GOOSE_V13) + extra);
  const insert = db.prepare(
    `INSERT INTO sessions (id, working_dir, parent_session_id, thread_id) VALUES (?, ?, ?, ?)`,
  );
  insert.run("s1", "/home/me/app", null, "thread-1");
  insert.run("s1-sub", "/home/me/app", "s1", null);
  insert.run("other", "/home/me/app", null, null);
  return db;
}

Deno.test("goose tools: requests and responses by id, failures, no response, MCP server, subagent", async () => {
  const root = await tempDir();
  try {
    const db = gooseDb(`${root}/sessions.db`);
    gooseMsg(db, "s1", "user", [{ type: "text", text: "fix the build" }], at(0));
    gooseMsg(
      db,
      "s1",
      "assistant",
      [{ type: "text", text: "Running it." }, shell("c1", "cargo build")],
      at(1),
    );
    gooseMsg(db, "s1", "user", [response("c1", ok("Finished"))], at(4));
    gooseMsg(db, "s1", "assistant", [shell("c2", "", "github__search_issues")], at(5));
    gooseMsg(db, "s1", "user", [response("c2", { status: "error", error: "Not Found" })], at(7));
    gooseMsg(db, "s1", "assistant", [shell("c3", "", "developer__text_editor")], at(10));
    gooseMsg(db, "s1", "user", [
      response("c3", {
        status: "success",
        value: { content: [{ type: "text", text: "no such file" }], isError: true },
      }),
    ], at(12));
    gooseMsg(db, "s1-sub", "assistant", [shell("c4", "ls")], at(13));
    gooseMsg(db, "s1-sub", "user", [response("c4", ok("src"))], at(14));
    gooseMsg(db, "s1", "assistant", [shell("c5", "cargo test")], at(20));
    gooseMsg(db, "other", "assistant", [shell("c9", "rm -rf target")], at(21));
    db.close();

    const calls = gooseToolCalls(`${root}/sessions.db#s1`);
    assert.deepEqual(callFacts(calls), [
      [null, "developer__shell", 3000, false],
      ["github", "search_issues", 2000, true],
      [null, "developer__text_editor", 2000, true],
      [null, "developer__shell", null, false],
      [null, "developer__shell", 1000, false],
    ]);
    assert.deepEqual(calls.map((c) => c.answered), [true, true, true, false, true]);
    assert.deepEqual([calls[0].startedAt, calls[0].endedAt], [at(1), at(4)]);
    assert.deepEqual([calls[3].startedAt, calls[3].endedAt], [at(20), null]);
    assert.throws(() => gooseToolCalls(`${root}/missing.db#s1`), /not a readable database/);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("goose tools: v10 thread_messages (the session's and its thread's), a copy of a call counted once", async () => {
  const root = await tempDir();
  try {
    const db = gooseDb(
      `${root}/sessions.db`,
      `CREATE TABLE thread_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id TEXT NOT NULL, session_id TEXT,
        message_id TEXT, role TEXT NOT NULL, content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL,
        metadata_json TEXT DEFAULT '{}');`,
    );
    const threadMsg = db.prepare(
      `INSERT INTO thread_messages (thread_id, session_id, role, content_json, created_timestamp) VALUES (?, ?, ?, ?, ?)`,
    );
    const row = (thread: string, session: string | null, role: string, content: unknown[], s: number) =>
      threadMsg.run(thread, session, role, JSON.stringify(content), Math.floor(at(s) / 1000));
    // The same call in both tables, its response only in the thread.
    gooseMsg(db, "s1", "assistant", [shell("c1", "make")], at(1));
    row("thread-1", "s1", "assistant", [shell("c1", "make")], 1);
    row("thread-1", "s1", "user", [response("c1", ok("done"))], 6);
    row("thread-1", null, "assistant", [shell("c2", "", "slack__post_message")], 8);
    row("thread-2", null, "assistant", [shell("c3", "ls")], 9);
    db.close();
    assert.deepEqual(callFacts(gooseToolCalls(`${root}/sessions.db#s1`)), [
      [null, "developer__shell", 5000, false],
      ["slack", "post_message", null, false],
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("goose tools: an older JSONL session file (metadata line, then messages)", async () => {
  const root = await tempDir();
  try {
    const path = `${root}/20250101_1.jsonl`;
    const line = (role: string, content: unknown[], s: number) =>
      JSON.stringify({ role, created: Math.floor(at(s) / 1000), content });
    Deno.writeTextFileSync(
      path,
      [
        JSON.stringify({ working_dir: "/home/me/app", description: "legacy", message_count: 2 }),
        line("assistant", [shell("c1", "ls")], 0),
        line("user", [response("c1", { status: "error", error: "denied" })], 2),
        "{not json",
      ].join("\n") + "\n",
    );
    assert.deepEqual(callFacts(gooseToolCalls(path)), [[null, "developer__shell", 2000, true]]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("goose tools: Goose's own extensions keep their name, others are MCP servers", () => {
  assert.equal(gooseMcpTool("developer__shell"), null);
  assert.equal(gooseMcpTool("todo__todo_write"), null);
  assert.equal(gooseMcpTool("shell"), null);
  assert.deepEqual(gooseMcpTool("github__search_issues"), { server: "github", name: "search_issues" });
});
