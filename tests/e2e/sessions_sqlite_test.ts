/**
 * OpenCode, Goose and Crush end to end: agent-shaped processes at the paths these agents install to,
 * with HOME, XDG_DATA_HOME and cwd pointing at databases written here from the documented schemas,
 * checked through `main.ts ls --format json` as users run it.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { fakesUnavailable, FakeWorld, runAgtop } from "../support/fakes.ts";
import { CRUSH_SCHEMA } from "../support/crush.ts";

const skip = fakesUnavailable();
if (skip) console.log(`sqlite session end-to-end tests skipped: ${skip}`);

// deno-lint-ignore no-explicit-any
type Json = any;

const OPENCODE_SCHEMA = `
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT, slug TEXT NOT NULL,
  directory TEXT NOT NULL, title TEXT NOT NULL, version TEXT NOT NULL, cost REAL NOT NULL DEFAULT 0,
  tokens_input INTEGER NOT NULL DEFAULT 0, tokens_output INTEGER NOT NULL DEFAULT 0, agent TEXT, model TEXT,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, time_archived INTEGER);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
`;
const GOOSE_SCHEMA = `
CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
  session_type TEXT NOT NULL DEFAULT 'user', working_dir TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  input_tokens INTEGER, output_tokens INTEGER, accumulated_input_tokens INTEGER,
  accumulated_output_tokens INTEGER, accumulated_cost REAL, provider_name TEXT, model_config_json TEXT);
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL,
  content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL, metadata_json TEXT);
`;

function run(db: DatabaseSync, sql: string, ...params: (string | number | null)[]): void {
  db.prepare(sql).run(...params);
}

Deno.test({
  name: "sqlite sessions: OpenCode with a subagent, Goose running a tool, Crush waiting; through ls",
  ignore: skip !== null,
  sanitizeResources: false,
  async fn() {
    await using world = await FakeWorld.create();
    const home = world.dir("home");
    const data = world.dir("xdg-data");
    const ocCwd = world.dir("work/ui-kit");
    const gooseCwd = world.dir("work/service");
    const crushCwd = world.dir("work/api");
    const env = { HOME: home, XDG_DATA_HOME: data };

    const opencode = world.spawn(world.native("node_modules/opencode-ai/bin/opencode.exe"), [], {
      cwd: ocCwd,
      env,
    });
    const goose = world.spawn(world.native("home/.local/bin/goose"), ["session"], { cwd: gooseCwd, env });
    const crush = world.spawn(world.native("home/go/bin/crush"), [], { cwd: crushCwd, env });
    await new Promise((r) => setTimeout(r, 100));
    const now = Date.now();

    // OpenCode: the database it keeps open (WAL), a step running `bun test`, a subagent mid-task.
    const oc = new DatabaseSync(world.path("xdg-data/opencode/opencode.db"));
    oc.exec("PRAGMA journal_mode = WAL");
    oc.exec(OPENCODE_SCHEMA);
    const session = (id: string, parent: string | null, title: string) =>
      run(
        oc,
        `INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated)
         VALUES (?, 'global', ?, 's', ?, ?, '1.18.33', ?, ?)`,
        id,
        parent,
        ocCwd,
        title,
        now - 4000,
        now - 500,
      );
    const message = (id: string, ses: string, at: number, d: unknown) =>
      run(oc, `INSERT INTO message VALUES (?, ?, ?, ?, ?)`, id, ses, at, at, JSON.stringify(d));
    const part = (id: string, msg: string, ses: string, at: number, d: unknown) =>
      run(oc, `INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)`, id, msg, ses, at, at, JSON.stringify(d));
    session("ses_ui", null, "Polish the buttons");
    session("ses_sub", "ses_ui", "Find usages (@explore subagent)");
    message("msg_1", "ses_ui", now - 3000, { role: "user", time: { created: now - 3000 } });
    part("prt_1", "msg_1", "ses_ui", now - 3000, { type: "text", text: "polish the buttons" });
    message("msg_2", "ses_ui", now - 2000, {
      role: "assistant",
      modelID: "claude-sonnet-4-5",
      providerID: "anthropic",
      cost: 0.0123,
      time: { created: now - 2000 },
      tokens: { total: 5216, input: 2000, output: 160, reasoning: 48, cache: { read: 3008, write: 0 } },
    });
    part("prt_2", "msg_2", "ses_ui", now - 1500, {
      type: "tool",
      tool: "task",
      callID: "call_t",
      state: {
        status: "running",
        input: { description: "Find usages", subagent_type: "explore" },
        metadata: { sessionId: "ses_sub" },
        time: { start: now - 1500 },
      },
    });
    part("prt_3", "msg_2", "ses_ui", now - 1000, {
      type: "tool",
      tool: "bash",
      callID: "call_b",
      state: { status: "running", input: { command: "bun test" }, time: { start: now - 1000 } },
    });
    message("msg_s", "ses_sub", now - 1200, {
      role: "assistant",
      modelID: "claude-haiku-4-5",
      cost: 0.002,
      time: { created: now - 1200 },
      tokens: { total: 150, input: 100, output: 50, reasoning: 0, cache: { read: 0, write: 0 } },
    });

    // Goose: sessions.db under XDG_DATA_HOME, a shell tool requested and not answered; closed (quiescent).
    const gs = new DatabaseSync(world.path("xdg-data/goose/sessions/sessions.db"));
    gs.exec("PRAGMA journal_mode = WAL");
    gs.exec(GOOSE_SCHEMA);
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
    run(
      gs,
      `INSERT INTO sessions (id, name, working_dir, created_at, updated_at, input_tokens, accumulated_input_tokens,
         accumulated_output_tokens, accumulated_cost, provider_name, model_config_json)
       VALUES ('20261124_1', 'Fix CI', ?, ?, ?, 7000, 12000, 800, 0.42, 'openai', '{"model_name":"gpt-4o"}')`,
      gooseCwd,
      stamp(now - 3000),
      stamp(now),
    );
    const gm = (role: string, content: unknown[], at: number) =>
      run(
        gs,
        `INSERT INTO messages (session_id, role, content_json, created_timestamp) VALUES ('20261124_1', ?, ?, ?)`,
        role,
        JSON.stringify(content),
        Math.floor(at / 1000),
      );
    gm("user", [{ type: "text", text: "make CI green" }], now - 3000);
    gm("assistant", [{
      type: "toolRequest",
      id: "call_1",
      toolCall: {
        status: "success",
        value: { name: "developer__shell", arguments: { command: "cargo test" } },
      },
    }], now - 2000);
    gs.close();

    // Crush: <cwd>/.crush/crush.db, a finished turn; kept open.
    const cr = new DatabaseSync(world.path("work/api/.crush/crush.db"));
    cr.exec("PRAGMA journal_mode = WAL");
    cr.exec(CRUSH_SCHEMA);
    const sec = Math.floor(now / 1000);
    run(
      cr,
      `INSERT INTO sessions (id, title, prompt_tokens, completion_tokens, cost, updated_at, created_at)
       VALUES ('c-1', 'Add tests', 18000, 400, 0.31, ?, ?)`,
      sec,
      sec - 5,
    );
    run(
      cr,
      `INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at, finished_at)
       VALUES ('m1', 'c-1', 'user', ?, NULL, ?, ?, NULL)`,
      JSON.stringify([{ type: "text", data: { text: "add tests" } }]),
      sec - 4,
      sec - 4,
    );
    run(
      cr,
      `INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at, finished_at)
       VALUES ('m2', 'c-1', 'assistant', ?, 'claude-sonnet-4-5', ?, ?, ?)`,
      JSON.stringify([
        { type: "text", data: { text: "Added 3 tests." } },
        { type: "finish", data: { reason: "end_turn", time: sec - 1 } },
      ]),
      sec - 3,
      sec - 1,
      sec - 1,
    );

    try {
      const res = await runAgtop(["ls", "--format", "json", "--sample", "0"], { HOME: home });
      assert.equal(res.code, 0, res.stderr);
      const agents: Json[] = JSON.parse(res.stdout).agents;
      const byPid = (pid: number) => agents.find((a) => a.pid === pid);

      const o = byPid(opencode.pid);
      assert.equal(o.agent, "opencode");
      assert.equal(o.session.id, "ses_ui");
      assert.equal(o.session.linked_by, "cwd");
      assert.equal(o.session.title, "Polish the buttons");
      assert.equal(o.session.last_prompt, "polish the buttons");
      assert.equal(o.session.model, "claude-sonnet-4-5");
      assert.equal(o.session.current_tool.name, "bash");
      assert.equal(o.session.current_tool.arg, "bun test");
      assert.deepEqual(o.session.tokens, {
        input: 2100,
        output: 210,
        cache_read: 3008,
        cache_write: 0,
        reasoning: 48,
      });
      assert.ok(Math.abs(o.cost_usd - 0.0143) < 1e-9, "OpenCode's own cost, its subagent's included");
      assert.equal(o.context_limit, 200000);
      assert.equal(o.session.subagents.length, 1);
      assert.equal(o.session.subagents[0].type, "explore");
      assert.equal(o.session.subagents[0].status, "running");
      assert.equal(o.status, "subagents");

      const g = byPid(goose.pid);
      assert.equal(g.agent, "goose");
      assert.equal(g.session.id, "20261124_1");
      assert.equal(g.session.cwd, gooseCwd);
      assert.equal(g.session.model, "gpt-4o");
      assert.deepEqual(g.session.current_tool.arg, "cargo test");
      assert.deepEqual(g.session.tokens, {
        input: 12000,
        output: 800,
        cache_read: 0,
        cache_write: 0,
        reasoning: 0,
      });
      assert.equal(g.cost_usd, 0.42);
      assert.equal(g.status, "busy");

      const c = byPid(crush.pid);
      assert.equal(c.agent, "crush");
      assert.equal(c.session.id, "c-1");
      assert.equal(c.session.turn, "ended");
      assert.equal(c.session.current_tool, null);
      assert.equal(c.session.context_tokens, 18000);
      assert.equal(c.cost_usd, 0.31);
      assert.ok(Math.abs(c.context_percent - 9) < 1e-9);
      assert.equal(c.status, "waiting");

      // The table shows what each one is doing.
      const table = await runAgtop(["ls", "--sample", "0"], { HOME: home, COLUMNS: "160" });
      assert.match(table.stdout, /OpenCode\s+\d+\s+ui-kit\s+claude-sonnet-4-5…?\s+bash: bun test/);
      assert.match(table.stdout, /Goose\s+\d+\s+service\s+gpt-4o\s+developer__shell: cargo test/);

      // Once the processes are gone, --all lists the OpenCode and Goose sessions as done.
      for (const s of [opencode, goose, crush]) s.child.kill("SIGKILL");
      await Promise.all([opencode, goose, crush].map((s) => s.child.status));
      const all = await runAgtop(["ls", "--format", "json", "--sample", "0", "--all", "--since", "2h"], env);
      const gone: Json[] = JSON.parse(all.stdout).agents.filter((a: Json) => a.pid === 0);
      assert.deepEqual(gone.map((a) => `${a.agent}:${a.session.id}`).sort(), [
        "goose:20261124_1",
        "opencode:ses_ui",
      ]);
      assert.ok(gone.every((a) => a.status === "done"));
    } finally {
      oc.close();
      cr.close();
    }
  },
});
