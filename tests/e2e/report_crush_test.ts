/**
 * `agtop report` end to end for Crush: a project database found through the list of projects Crush keeps
 * in its global data folder (no live `crush` shows it), read through `main.ts` as users run it.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runAgtop } from "../support/fakes.ts";
import { call, CRUSH_SCHEMA, crushMessage, crushSession } from "../support/crush.ts";
import { NOW } from "../support/sessions.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("report: Crush sessions of the projects in its projects.json, with their cost and tool calls", async () => {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-report-crush-" }));
  try {
    const project = `${home}/work/api`;
    Deno.mkdirSync(`${project}/.crush`, { recursive: true });
    const db = new DatabaseSync(`${project}/.crush/crush.db`);
    db.exec(CRUSH_SCHEMA);
    crushSession(db, "s-main", { cost: 0.31 });
    crushMessage(db, "m1", "s-main", "user", [{ type: "text", data: { text: "run the tests" } }], NOW - 9000);
    crushMessage(
      db,
      "m2",
      "s-main",
      "assistant",
      [call("c1", "bash", { command: "go test ./..." })],
      NOW - 8000,
    );
    crushMessage(db, "m3", "s-main", "tool", [
      { type: "tool_result", data: { tool_call_id: "c1", name: "bash", content: "FAIL", is_error: true } },
    ], NOW - 5000);
    db.close();
    const data = `${home}/.local/share/crush`;
    Deno.mkdirSync(data, { recursive: true });
    Deno.writeTextFileSync(
      `${data}/projects.json`,
      JSON.stringify({
        projects: [{ path: project, data_dir: `${project}/.crush`, last_accessed: "2026-12-06T10:00:00Z" }],
      }),
    );

    const sessions = await runAgtop(["report", "sessions", "--since", "1d", "--format", "json"], {
      HOME: home,
    });
    assert.equal(sessions.code, 0, sessions.stderr);
    const doc: Json = JSON.parse(sessions.stdout);
    assert.deepEqual(doc.rows.map((r: Json) => [r.agents, r.session.project, r.cost_usd, r.cost_basis]), [
      [["crush"], "api", 0.31, "agent"],
    ]);

    const tools = await runAgtop(["report", "tools", "--since", "1d", "--format", "json"], { HOME: home });
    assert.equal(tools.code, 0, tools.stderr);
    const bash = JSON.parse(tools.stdout).rows.find((r: Json) => r.key === "bash");
    assert.equal(bash.calls, 1);
    assert.equal(bash.failed, 1);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
