/**
 * OpenCode's and Kilo Code's tool calls from the database Kilo Code 7.7.7 wrote
 * (tests/fixtures/kilo/in-flight.sql): a finished bash part, a running `task` part and its child
 * session's running call, counted in the parent session.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openCodeToolCalls } from "../../../agents/formats/opencode_tools.ts";

const FIXTURE = new URL("../../fixtures/kilo/in-flight.sql", import.meta.url).pathname;

Deno.test("opencode tools: tool parts of the session and its children, from state.time", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/kilo.db`;
    const db = new DatabaseSync(path);
    db.exec(Deno.readTextFileSync(FIXTURE));
    const root = db.prepare("SELECT id FROM session WHERE parent_id IS NULL").get()!.id as string;
    db.close();
    const calls = openCodeToolCalls(`${path}#${root}`);
    const bash = calls.find((c) => c.name === "bash" && c.endedAt !== null)!;
    assert.equal(bash.endedAt! - bash.startedAt!, 1796573000086 - 1796572980751);
    assert.equal(bash.failed, false);
    assert.ok(calls.some((c) => c.name === "task" && c.endedAt === null));
    assert.ok(calls.length >= 3, "the child session's calls count in the parent");
    assert.throws(() => openCodeToolCalls(`${dir}/missing.db#${root}`), /not a readable database/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
