/**
 * `agtop report tools` end to end for Goose and Amp: a Goose `sessions.db` (with a subagent's session)
 * and an Amp thread written from the documented formats in a temporary HOME, read through `main.ts`
 * as users run it.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runAgtop } from "../support/fakes.ts";
import { GOOSE_SCHEMA, GOOSE_V13, gooseMsg, shell, sqliteTime } from "../support/goose.ts";
import { assistant, bash, CREATED, thread, toolResult } from "../support/amp.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const T0 = Date.parse("2026-11-24T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const response = (id: string, status: string) => ({
  type: "toolResponse",
  id,
  toolResult: status === "error"
    ? { status, error: "failed" }
    : { status, value: [{ type: "text", text: "ok" }] },
});

/** A HOME with a Goose database (a session and its subagent's) and an Amp thread. */
function writeStores(home: string): void {
  const dir = `${home}/.local/share/goose/sessions`;
  Deno.mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(`${dir}/sessions.db`);
  db.exec(GOOSE_SCHEMA(GOOSE_V13));
  const insert = db.prepare(
    `INSERT INTO sessions (id, name, working_dir, created_at, updated_at, parent_session_id, session_type)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run("20261124_1", "Fix CI", "/home/me/app", sqliteTime(at(0)), sqliteTime(at(60)), null, "user");
  insert.run(
    "20261124_2",
    "helper",
    "/home/me/app",
    sqliteTime(at(20)),
    sqliteTime(at(30)),
    "20261124_1",
    "sub_agent",
  );
  gooseMsg(db, "20261124_1", "user", [{ type: "text", text: "fix CI" }], at(0));
  gooseMsg(db, "20261124_1", "assistant", [shell("g1", "cargo build")], at(1));
  gooseMsg(db, "20261124_1", "user", [response("g1", "success")], at(5));
  gooseMsg(db, "20261124_1", "assistant", [shell("g2", "", "github__get_issue")], at(6));
  gooseMsg(db, "20261124_1", "user", [response("g2", "error")], at(8));
  gooseMsg(db, "20261124_1", "assistant", [shell("g3", "cargo test")], at(50));
  gooseMsg(db, "20261124_2", "assistant", [shell("g4", "ls")], at(21));
  gooseMsg(db, "20261124_2", "user", [response("g4", "success")], at(22));
  db.close();

  const threads = `${home}/.local/share/amp/threads`;
  Deno.mkdirSync(threads, { recursive: true });
  const path = `${threads}/T-019b9d03-62e3-772f-9780-3e637f90eaec.json`;
  const toolUse = { stopReason: "tool_use", type: "complete" };
  Deno.writeTextFileSync(
    path,
    JSON.stringify(thread([
      assistant(
        1,
        [
          bash("a1", "npm test"),
          { type: "tool_use", id: "a2", name: "mcp__github__search_issues", input: {} },
        ],
        toolUse,
        [10, 5, 0, 0],
      ),
      { ...toolResult(3, "a1", "done", "ok"), meta: { sentAt: CREATED + 3000 } },
      toolResult(4, "a2", "rejected-by-user", null),
    ])),
  );
  Deno.utimeSync(path, new Date(CREATED + 5000), new Date(CREATED + 5000));
}

const row = (doc: Json, key: string) => doc.rows.find((r: Json) => r.key === key);

Deno.test("report tools: Goose's and Amp's calls, MCP servers grouped, a Goose subagent's calls in its parent", async () => {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-tools-goose-amp-" }));
  try {
    writeStores(home);
    const res = await runAgtop(["report", "tools", "--format", "json", "--tz", "UTC"], {
      HOME: home,
      XDG_DATA_HOME: `${home}/.local/share`,
      XDG_STATE_HOME: `${home}/.local/state`,
    });
    assert.equal(res.code, 0, res.stderr);
    const doc = JSON.parse(res.stdout);
    assert.deepEqual(doc.unreadable, []);
    const shellRow = row(doc, "developer__shell");
    // 4 s, the subagent's 1 s, and one without a response.
    assert.deepEqual(
      [shellRow.agents, shellRow.calls, shellRow.failed, shellRow.unfinished, shellRow.median_ms],
      [["goose"], 3, 0, 1, 2500],
    );
    const github = row(doc, "mcp:github");
    assert.deepEqual([github.server, github.calls, github.failed, github.agents], ["github", 2, 2, [
      "amp",
      "goose",
    ]]);
    const ampBash = row(doc, "Bash");
    assert.deepEqual([ampBash.agents, ampBash.calls, ampBash.median_ms], [["amp"], 1, 1500]);
    assert.equal(doc.totals.sessions, 2);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
