import assert from "node:assert/strict";
import { DEFAULT_NOTIFY } from "../../../render/watch/notify_settings.ts";
import {
  notification,
  notificationText,
  Notifier,
  titleText,
  windowTitle,
} from "../../../render/watch/notify.ts";
import { makeAgent, makeSession, makeSnapshot } from "../../support/agents.ts";
import type { Agent, AgentStatus } from "../../../agents/types.ts";

const agent = (pid: number, status: AgentStatus, over: Partial<Agent> = {}) =>
  makeAgent({ pid, status, label: "Claude Code", project: `p${pid}`, ...over });
const snap = (...agents: Agent[]) => makeSnapshot(agents);

Deno.test("notifier: nothing at start, once per transition, none for agents first seen waiting", () => {
  const n = new Notifier(DEFAULT_NOTIFY);
  assert.deepEqual(
    n.observe(snap(agent(1, "waiting"), agent(2, "busy")), []),
    [],
    "already waiting at start",
  );
  assert.deepEqual(
    n.observe(snap(agent(1, "waiting"), agent(2, "busy"), agent(3, "waiting")), []),
    [],
    "new agent",
  );
  const changes = n.observe(snap(agent(1, "waiting"), agent(2, "waiting"), agent(3, "waiting")), []);
  assert.deepEqual(changes, [{ kind: "waiting", key: "2:1", who: "Claude Code (p2)", what: "is waiting" }]);
  assert.deepEqual(
    n.observe(snap(agent(1, "waiting"), agent(2, "waiting"), agent(3, "waiting")), []),
    [],
    "once",
  );
  const limited = n.observe(snap(agent(1, "limited"), agent(2, "busy"), agent(3, "idle")), []);
  assert.deepEqual(limited.map((c) => [c.key, c.kind, c.what]), [["1:1", "limited", "is rate-limited"]]);
});

Deno.test("notifier: a busy agent that ends with an error; what it waits for; new alerts", () => {
  const n = new Notifier(DEFAULT_NOTIFY);
  n.observe(snap(agent(1, "busy"), agent(2, "busy")), []);
  const error = makeSession({ activity: [{ at: null, kind: "error", text: "API Error: 500" }] });
  const asked = makeSession({ waitingFor: "permission prompt" });
  const alert = { key: "1:1", kind: "context_percent" as const, text: "context 92% full (limit 90%)" };
  const changes = n.observe(
    snap(agent(1, "waiting", { session: error }), agent(2, "waiting", { session: asked })),
    [alert],
  );
  assert.deepEqual(changes.map((c) => [c.kind, c.what]), [
    ["error", "ended with an error"],
    ["alert", "context 92% full (limit 90%)"],
    ["waiting", "is waiting: permission prompt"],
  ]);
  assert.deepEqual(n.observe(snap(agent(1, "waiting"), agent(2, "waiting")), [alert]), [], "the alert holds");
});

Deno.test("notifier: only the changes the settings name; none when off", () => {
  const only = new Notifier({ mode: "on", on: ["limited"] });
  only.observe(snap(agent(1, "busy"), agent(2, "busy")), []);
  assert.deepEqual(only.observe(snap(agent(1, "waiting"), agent(2, "limited")), []).map((c) => c.key), [
    "2:1",
  ]);
  const off = new Notifier({ mode: "off", on: DEFAULT_NOTIFY.on });
  off.observe(snap(agent(1, "busy")), []);
  assert.deepEqual(off.observe(snap(agent(1, "waiting")), []), []);
});

Deno.test("notification text: bell, OSC 9 and OSC 777, tmux passthrough, modes, untrusted text made safe", () => {
  const one = [{ kind: "waiting" as const, key: "1:1", who: "Codex (shop)", what: "is waiting" }];
  assert.equal(
    notificationText(one, "on", { tmux: false }),
    "\x07\x1b]9;agtop: Codex (shop): Codex (shop) is waiting\x07\x1b]777;notify;agtop: Codex (shop);Codex (shop) is waiting\x07",
  );
  assert.equal(
    notificationText(one, "quiet", { tmux: true }),
    "\x1bPtmux;\x1b\x1b]9;agtop: Codex (shop): Codex (shop) is waiting\x07\x1b\\" +
      "\x1bPtmux;\x1b\x1b]777;notify;agtop: Codex (shop);Codex (shop) is waiting\x07\x1b\\",
  );
  assert.equal(notificationText(one, "bell", { tmux: true }), "\x07");
  assert.equal(notificationText(one, "off", { tmux: false }), "");
  assert.equal(notificationText([], "on", { tmux: false }), "");
  const two = [...one, {
    kind: "limited" as const,
    key: "2:1",
    who: "Claude Code (api)",
    what: "is rate-limited",
  }];
  assert.deepEqual(notification(two), {
    title: "agtop: 2 agents need you",
    body: "Codex (shop) is waiting; Claude Code (api) is rate-limited",
  });
  const evil = [{ kind: "waiting" as const, key: "1:1", who: "x;y\x1b]0;pwned\x07", what: "is waiting" }];
  const text = notificationText(evil, "quiet", { tmux: false });
  assert.equal(text.split("\x1b").length - 1, 2, "only agtop's own escapes");
  assert.equal(text.split("\x07").length - 1, 2);
  assert.ok(text.includes("777;notify;agtop: x,y"), "no field break from a ; in a label");
});

Deno.test("title: the count of agents that wait for you", () => {
  assert.equal(windowTitle(snap(agent(1, "busy"))), "agtop");
  assert.equal(
    windowTitle(snap(agent(1, "waiting"), agent(2, "waiting"), agent(3, "limited"))),
    "agtop · 2 waiting, 1 limited",
  );
  assert.equal(titleText("agtop · 1 waiting"), "\x1b]2;agtop · 1 waiting\x07");
});
