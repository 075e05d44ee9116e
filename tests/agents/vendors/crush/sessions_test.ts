/**
 * Crush sessions read from project databases created here with node:sqlite from the documented
 * schema: linking, tokens, recorded cost, the tool in flight, subagents, todos, a locked database.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { crushDatabase, CrushSessionSource } from "../../../../agents/vendors/crush/sessions.ts";
import { crush } from "../../../../agents/vendors/crush/mod.ts";
import { BUSY, readDatabase } from "../../../../agents/formats/sqlite.ts";
import { assertReaderOf, dbLinkContext as ctx, NOW, tempDir } from "../../../support/sessions.ts";
import { call, CRUSH_SCHEMA, crushMessage, crushSession, sec } from "../../../support/crush.ts";

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
    assert.deepEqual(src.recent([], NOW - 60_000).links.map((l) => l.id), ["s-main"]);
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

Deno.test("crush: recent reads the databases Crush lists in projects.json, wherever its data folder is", async () => {
  const root = await tempDir();
  try {
    const home = `${root}/home`;
    const project = `${root}/work/api`;
    const dataDir = `${project}/state`; // a `--data-dir` of its own, as Crush writes it: absolute
    Deno.mkdirSync(dataDir, { recursive: true });
    const db = new DatabaseSync(`${dataDir}/crush.db`);
    db.exec(CRUSH_SCHEMA);
    crushSession(db, "s-old", {});
    db.close();
    const projects = JSON.stringify({
      projects: [
        { path: project, data_dir: dataDir, last_accessed: new Date(NOW).toISOString() },
        { path: `${root}/gone`, data_dir: `${root}/gone/.crush`, last_accessed: new Date(NOW).toISOString() },
        { path: "relative", data_dir: ".crush" },
        { data_dir: 42 },
      ],
    });
    const cases: [Record<string, string>, string][] = [
      [{ HOME: home }, `${home}/.local/share/crush`],
      [{ HOME: home, XDG_DATA_HOME: `${root}/xdg` }, `${root}/xdg/crush`],
      [{ HOME: home, XDG_DATA_HOME: `${root}/xdg`, CRUSH_GLOBAL_DATA: `${root}/global` }, `${root}/global`],
    ];
    for (const [env, dir] of cases) {
      Deno.mkdirSync(dir, { recursive: true });
      Deno.writeTextFileSync(`${dir}/projects.json`, projects);
      const src = new CrushSessionSource({ max: Infinity });
      const [listed] = src.dataDirs(env, home).filter((d) => !d.inProject);
      assert.equal(listed.path, `${dir}/projects.json`);
      const links = src.recent([env], NOW - 60_000).links;
      assert.deepEqual(links.map((l) => [l.path, l.id]), [[`${dataDir}/crush.db#s-old`, "s-old"]], dir);
      assert.equal(src.read(links[0], NOW)?.title, "title of s-old");
      Deno.removeSync(`${dir}/projects.json`);
    }
    // A list that is not JSON, or names no projects, gives nothing and throws nothing.
    Deno.mkdirSync(`${home}/.local/share/crush`, { recursive: true });
    for (const bad of ["{not json", "[]", '{"projects": {}}']) {
      Deno.writeTextFileSync(`${home}/.local/share/crush/projects.json`, bad);
      assert.deepEqual(new CrushSessionSource().recent([{ HOME: home }], 0).links, [], bad);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
