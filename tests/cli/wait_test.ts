import assert from "node:assert/strict";
import { waitVerdict } from "../../cli/wait.ts";
import { makeAgent } from "../support/agents.ts";

Deno.test("wait: met by the state, any is anything but working; none at first, gone later", () => {
  const waiting = makeAgent({ status: "waiting" });
  const busy = makeAgent({ status: "busy" });
  assert.equal(waitVerdict([waiting], "waiting", true), "met", "already there");
  assert.equal(waitVerdict([busy, waiting], "waiting", false), "met", "any matching agent");
  assert.equal(waitVerdict([busy], "waiting", false), "waiting");
  assert.equal(waitVerdict([makeAgent({ status: "idle" })], "idle", false), "met");
  for (const status of ["waiting", "idle", "limited", "done"] as const) {
    assert.equal(waitVerdict([makeAgent({ status })], "any", false), "met", status);
  }
  assert.equal(waitVerdict([makeAgent({ status: "subagents" })], "any", false), "waiting");
  assert.equal(waitVerdict([], "waiting", true), "no such agent");
  assert.equal(waitVerdict([], "done", true), "no such agent");
  assert.equal(waitVerdict([], "waiting", false), "gone");
  assert.equal(waitVerdict([], "idle", false), "gone");
  assert.equal(waitVerdict([], "done", false), "met", "an exited process is done");
  assert.equal(waitVerdict([], "any", false), "met");
});
