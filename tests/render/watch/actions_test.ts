import assert from "node:assert/strict";
import type { Agent, AgentProcess, Snapshot } from "../../../agents/types.ts";
import type { RateLimit } from "../../../agents/session.ts";
import { describeTerminal } from "../../../agents/terminal.ts";
import { loadStyle } from "../../../render/style.ts";
import { prepareWidths } from "../../../render/text.ts";
import {
  JUMP_NEEDS_RUN,
  type JumpEffect,
  jumpNotice,
  type SignalEffect,
  signalNotice,
} from "../../../render/watch/actions.ts";
import { renderFrame } from "../../../render/watch/frame.ts";
import type { Key } from "../../../render/watch/keys.ts";
import { pressKeys } from "../../support/keys.ts";
import { accountLimits, agentLimits, shortClock, windowLabel } from "../../../render/watch/limits.ts";
import { initialState, type ScreenSize, settle, type ViewState } from "../../../render/watch/state.ts";
import { makeAgent, makeSession, makeSnapshot } from "../../support/agents.ts";

await prepareWidths(["●"]);
const plain = await loadStyle(false);

const SIZE: ScreenSize = { columns: 100, rows: 30 };
const BIG: ScreenSize = { columns: 140, rows: 80 };
const MiB = 1024 * 1024;

const orphan = (pid: number, name: string, startedAt = 1000): AgentProcess => ({
  pid,
  ppid: 1,
  name,
  argv: [name, "--port", "5174"],
  role: "orphan",
  state: "sleeping",
  startedAt,
  cpuPercent: 0.5,
  rssBytes: 50 * MiB,
  threads: 4,
});

/** A busy Claude Code in tmux with an orphan; a Codex in kitty; a gone agent that left two orphans. */
function fleet(): Snapshot {
  return makeSnapshot([
    makeAgent({
      pid: 101,
      key: "101:1",
      startedAt: 5000,
      status: "busy",
      cpuPercent: 42,
      tty: "/dev/pts/3",
      terminal: "tmux pane %3",
      terminalPlace: describeTerminal("/dev/pts/3", { TMUX: "/tmp/tmux-0/agtop,812,0", TMUX_PANE: "%3" }),
      orphans: [orphan(160, "vite")],
    }),
    makeAgent({
      pid: 202,
      key: "202:1",
      agent: "codex",
      label: "Codex",
      status: "waiting",
      cpuPercent: 5,
      tty: "/dev/pts/4",
      terminal: "kitty",
      terminalPlace: describeTerminal("/dev/pts/4", { TERM: "xterm-kitty" }),
    }),
    makeAgent({
      pid: 303,
      key: "orphans:claude:s1",
      status: "done",
      state: "dead",
      cpuPercent: 1,
      orphans: [orphan(170, "node", 2000), orphan(171, "esbuild", 3000)],
    }),
  ]);
}

function start(snap: Snapshot, size = SIZE): ViewState {
  return settle(initialState({ sort: "cpu", reverse: false, filter: "", all: false }), snap, size);
}

const press = (s: ViewState, snap: Snapshot, keys: (string | Key)[], size = SIZE) =>
  pressKeys(s, snap, keys, size);

const frame = (snap: Snapshot, s: ViewState, size = SIZE) =>
  renderFrame(snap, s, { ...size, style: plain, interval: 1.5 });
const last = (snap: Snapshot, s: ViewState, size = SIZE) => frame(snap, s, size).at(-1)!;

Deno.test("k asks first; y sends SIGTERM to the selected agent's main process, any other key cancels", () => {
  const snap = fleet();
  let { state, effects } = press(start(snap), snap, ["k"]);
  assert.deepEqual(effects, ["none"], "nothing happens before the answer");
  assert.equal(state.confirm?.prompt, "send SIGTERM to Claude Code (pid 101)?");
  assert.equal(last(snap, state), "send SIGTERM to Claude Code (pid 101)? y/n");
  ({ state, effects } = press(state, snap, ["y"]));
  assert.deepEqual(effects, [
    { kind: "signal", targets: [{ pid: 101, startedAt: 5000 }], what: "Claude Code (pid 101)" },
  ]);
  assert.equal(state.confirm, null);
  for (const no of ["n", "q", "escape", "k", "enter"]) {
    const asked = press(start(snap), snap, ["k"]).state;
    const answered = press(asked, snap, [no]);
    assert.deepEqual(answered.effects, ["none"], `${no} is not yes`);
    assert.equal(answered.state.confirm, null);
    assert.equal(answered.state.detail, null, `${no} does nothing else`);
    assert.deepEqual(answered.state.notice, { text: "cancelled", error: false });
  }
  assert.deepEqual(press(press(start(snap), snap, ["k"]).state, snap, ["Y"]).effects[0].valueOf(), {
    kind: "signal",
    targets: [{ pid: 101, startedAt: 5000 }],
    what: "Claude Code (pid 101)",
  });
  assert.deepEqual(press(press(start(snap), snap, ["k"]).state, snap, ["ctrl-c"]).effects, ["quit"]);
});

Deno.test("orphans are rows: selectable, k ends just that one; K ends every orphan of the agent", () => {
  const snap = fleet();
  let s = press(start(snap), snap, ["down"]).state;
  assert.equal(s.selected, "101:1/160@1000");
  const lines = frame(snap, s);
  assert.match(lines[4], /^> {2}└ orphan\s+vite\s+160\s/);
  s = press(s, snap, ["k"]).state;
  assert.equal(s.confirm?.prompt, "send SIGTERM to orphan vite (pid 160) of Claude Code?");
  assert.deepEqual(press(s, snap, ["y"]).effects[0], {
    kind: "signal",
    targets: [{ pid: 160, startedAt: 1000 }],
    what: "orphan vite (pid 160) of Claude Code",
  });
  // The gone agent's row: no process to end, but K ends both of its orphans.
  s = press(start(snap), snap, ["down", "down", "down"]).state;
  assert.equal(s.selected, "orphans:claude:s1");
  const refused = press(s, snap, ["k"]);
  assert.deepEqual(refused.effects, ["none"]);
  assert.deepEqual(refused.state.notice, {
    text: "Claude Code has no process left; K ends its 2 orphans",
    error: true,
  });
  assert.equal(last(snap, refused.state), "Claude Code has no process left; K ends its 2 orphans");
  assert.equal(press(refused.state, snap, ["down"]).state.notice, null, "the next key clears the notice");
  s = press(s, snap, ["K"]).state;
  assert.equal(s.confirm?.prompt, "send SIGTERM to 2 orphans of Claude Code?");
  // The list of what would get it shows before the answer.
  assert.deepEqual(s.confirm?.list, ["pid 170  node", "pid 171  esbuild"]);
  const screen = frame(snap, s).join("\n");
  assert.match(screen, /these processes would get it:/);
  assert.match(screen, /pid 170 {2}node/);
  assert.match(screen, /pid 171 {2}esbuild/);
  assert.deepEqual(press(s, snap, ["y"]).effects[0], {
    kind: "signal",
    targets: [{ pid: 170, startedAt: 2000 }, { pid: 171, startedAt: 3000 }],
    what: "2 orphans of Claude Code",
  });
  // K on an orphan row means its agent's orphans; K on an agent without any says so.
  assert.equal(
    press(start(snap), snap, ["down", "down", "down", "down", "K"]).state.confirm?.prompt,
    "send SIGTERM to 2 orphans of Claude Code?",
  );
  assert.deepEqual(press(start(snap), snap, ["down", "down", "K"]).state.notice, {
    text: "Codex has no orphans",
    error: true,
  });
  // Enter on an orphan opens its agent.
  assert.equal(press(start(snap), snap, ["down", "enter"]).state.detail, "101:1");
});

Deno.test("the detail view: k ends its agent, K its orphans, t jumps; arrows still scroll", () => {
  const snap = fleet();
  let s = press(start(snap, BIG), snap, ["enter"], BIG).state;
  assert.equal(s.detail, "101:1");
  assert.equal(press(s, snap, ["k"], BIG).state.confirm?.prompt, "send SIGTERM to Claude Code (pid 101)?");
  assert.equal(press(s, snap, ["K"], BIG).state.confirm?.prompt, "send SIGTERM to 1 orphan of Claude Code?");
  assert.deepEqual(press(s, snap, ["t"], BIG).effects, [
    { kind: "jump", tty: "/dev/pts/3", socket: "/tmp/tmux-0/agtop", what: "Claude Code (pid 101)" },
  ]);
  s = press(s, snap, ["k", "n"], BIG).state;
  assert.equal(s.detail, "101:1", "cancelling stays in the detail view");
  assert.match(last(snap, s, BIG), /^cancelled/);
});

Deno.test("t: jump to the tmux pane; outside tmux, say where the agent runs", () => {
  const snap = fleet();
  assert.deepEqual(press(start(snap), snap, ["t"]).effects, [
    { kind: "jump", tty: "/dev/pts/3", socket: "/tmp/tmux-0/agtop", what: "Claude Code (pid 101)" },
  ]);
  const kitty = press(start(snap), snap, ["down", "down", "t"]);
  assert.deepEqual(kitty.effects, ["none", "none", "none"]);
  assert.deepEqual(kitty.state.notice, {
    text: "Codex is not in tmux: it runs on /dev/pts/4 in kitty",
    error: true,
  });
  const gone = press(start(snap), snap, ["down", "down", "down", "t"]);
  assert.deepEqual(gone.state.notice, { text: "Claude Code has exited", error: true });
  // Without the terminal place (`--private` keeps only the label), the label tells; tmux picks the server.
  const labelOnly = makeSnapshot([makeAgent({ key: "1:1", tty: "/dev/pts/5", terminal: "tmux pane %7" })]);
  assert.deepEqual(press(start(labelOnly), labelOnly, ["t"]).effects, [
    { kind: "jump", tty: "/dev/pts/5", socket: null, what: "Claude Code (pid 4242)" },
  ]);
  const noTty = makeSnapshot([makeAgent({ key: "1:1", tty: null, terminal: "no terminal" })]);
  assert.deepEqual(press(start(noTty), noTty, ["t"]).state.notice, {
    text: "Claude Code has no terminal",
    error: true,
  });
});

Deno.test("notices: what a signal and a jump did", () => {
  const one: SignalEffect = {
    kind: "signal",
    targets: [{ pid: 101, startedAt: 1 }],
    what: "Claude Code (pid 101)",
  };
  assert.deepEqual(signalNotice(one, [{ pid: 101, outcome: "sent", detail: null }]), {
    text: "sent SIGTERM to Claude Code (pid 101)",
    error: false,
  });
  assert.equal(
    signalNotice(one, [{ pid: 101, outcome: "no-such-process", detail: null }]).text,
    "Claude Code (pid 101): no such process",
  );
  assert.equal(
    signalNotice(one, [{ pid: 101, outcome: "permission-denied", detail: null }]).text,
    "Claude Code (pid 101): permission denied",
  );
  assert.equal(
    signalNotice(one, [{ pid: 101, outcome: "refused", detail: "pid 101 is now another process" }]).text,
    "Claude Code (pid 101): not signalled (pid 101 is now another process)",
  );
  const many: SignalEffect = { kind: "signal", targets: [], what: "3 orphans of Claude Code" };
  assert.deepEqual(
    signalNotice(many, [
      { pid: 1, outcome: "sent", detail: null },
      { pid: 2, outcome: "sent", detail: null },
      { pid: 3, outcome: "permission-denied", detail: null },
    ]),
    { text: "3 orphans of Claude Code: 2 sent, 1 permission denied", error: true },
  );
  const jump: JumpEffect = { kind: "jump", tty: "/dev/pts/3", socket: null, what: "Claude Code (pid 101)" };
  const pane = { tty: "/dev/pts/3", session: "work", target: "work:1.0", id: "%3" };
  assert.deepEqual(jumpNotice(jump, { pane, switched: true }), {
    text: "switched to Claude Code (pid 101): tmux pane %3 (work:1.0)",
    error: false,
  });
  assert.match(jumpNotice(jump, { pane, switched: false }).text, /no tmux client to switch/);
  assert.deepEqual(jumpNotice(jump, null), { text: "no tmux pane has /dev/pts/3", error: true });
  assert.equal(jumpNotice(jump, new Error("tmux is not installed")).text, "tmux is not installed");
  assert.equal(JUMP_NEEDS_RUN, "jumping to tmux needs --allow-run=tmux");
});

const limit = (over: Partial<RateLimit>): RateLimit => ({
  name: "primary",
  usedPercent: 42,
  windowMinutes: 300,
  resetsAt: null,
  plan: null,
  ...over,
});

Deno.test("rate limits: window names, per agent with resets, per account in the header", () => {
  const now = Date.parse("2026-11-24T10:03:12Z");
  assert.equal(windowLabel(limit({})), "5h");
  assert.equal(windowLabel(limit({ windowMinutes: 10_080 })), "wk");
  assert.equal(windowLabel(limit({ name: "seven_day_opus", windowMinutes: 10_080 })), "wk opus");
  assert.equal(windowLabel(limit({ windowMinutes: 1440 })), "1d");
  assert.equal(windowLabel(limit({ windowMinutes: 90 })), "90m");
  assert.equal(windowLabel(limit({ name: "usage", windowMinutes: null })), "usage");
  const fiveH = limit({ resetsAt: now + 3600_000 });
  const week = limit({
    name: "secondary",
    usedPercent: 11,
    windowMinutes: 10_080,
    resetsAt: now + 4 * 86_400_000,
  });
  const expired = limit({ name: "old", resetsAt: now - 1000 });
  assert.equal(
    agentLimits([week, fiveH, expired], now),
    `5h 42% (resets ${shortClock(fiveH.resetsAt!, now)}), wk 11% (resets ${shortClock(week.resetsAt!, now)})`,
  );
  assert.equal(agentLimits([expired], now), null);
  assert.match(shortClock(now + 4 * 86_400_000, now), /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d\d:\d\d$/);

  const codex = (pid: number, home: string, limits: RateLimit[]) =>
    makeAgent({
      pid,
      key: `${pid}:1`,
      agent: "codex",
      label: "Codex",
      session: makeSession({
        vendor: "codex",
        path: `${home}/sessions/2026/11/24/r-${pid}.jsonl`,
        account: home,
        rateLimits: limits,
      }),
    });
  const reset = now + 30 * 60_000;
  const agents: Agent[] = [
    codex(1, "/h/.codex", [limit({ usedPercent: 40, resetsAt: now + 1000 }), week]),
    codex(2, "/h/.codex", [limit({ usedPercent: 42, resetsAt: now + 2000 })]),
    makeAgent({
      pid: 3,
      key: "3:1",
      status: "limited",
      session: makeSession({
        path: "/h/.claude/projects/-w/s.jsonl",
        account: "/h/.claude",
        limitedUntil: reset,
        rateLimits: [limit({ name: "five_hour", usedPercent: 100, resetsAt: reset })],
      }),
    }),
    makeAgent({
      pid: 4,
      key: "4:1",
      session: makeSession({ path: "/h/.claude/projects/-w/t.jsonl", account: "/h/.claude" }),
    }),
  ];
  assert.deepEqual(accountLimits(agents, now), [
    { text: "codex 5h 42%, wk 11%", alert: false },
    { text: `claude limited until ${shortClock(reset, now)}`, alert: true },
  ]);
  const twoHomes = [...agents.slice(0, 2), codex(5, "/h/.codex-work", [limit({ usedPercent: 95 })])];
  assert.deepEqual(accountLimits(twoHomes, now).map((a) => [a.text, a.alert]), [
    ["codex (.codex) 5h 42%, wk 11%", false],
    ["codex (.codex-work) 5h 95%", true],
  ]);
  const header = frame(makeSnapshot(agents), start(makeSnapshot(agents), BIG), BIG)[0];
  assert.match(
    header,
    /· 4 agents \(1 limited, 3 idle\) · codex 5h 42%, wk 11% · claude limited until \d\d:\d\d$/,
  );
});

/** A Claude Code whose prompt cache went cold, with a burn rate, a 5-hour block and files it changed. */
function spender(warm: boolean): Snapshot {
  const now = Date.parse("2026-11-24T10:03:12Z");
  const agent = makeAgent({
    pid: 101,
    key: "101:1",
    status: "waiting",
    cwd: "/home/me/proj",
    costUsd: 1.25,
    costBasis: "api",
    phrase: "waiting for you",
    session: makeSession({
      contextTokens: 126_000,
      filesChanged: ["/home/me/proj/src/a.ts", "/etc/hosts", "/home/me/proj/README.md"],
      rateLimits: [limit({ resetsAt: now + 3600_000 })],
    }),
    cache: {
      lastRequestAt: now - (warm ? 60_000 : 10 * 60_000),
      ttlMs: 300_000,
      warm,
      expiresAt: now + (warm ? 240_000 : -300_000),
      coldCostUsd: 0.4725,
      warmCostUsd: 0.0378,
    },
    burn: {
      at: now,
      tokensPerMin: 12_345,
      usdPerHour: 4.2,
      block: {
        start: Date.parse("2026-11-24T10:00:00Z"),
        end: Date.parse("2026-11-24T15:00:00Z"),
        tokens: 2_100_000,
        usd: 4.1,
        projectedTokens: 5_800_000,
        projectedUsd: 9.8,
      },
    },
  });
  return makeSnapshot([agent]);
}

Deno.test("a cold prompt cache marks the cost with ~; the header shows the total burn rate", () => {
  const cold = spender(false);
  const lines = frame(cold, start(cold));
  assert.match(lines[3], /\$1\.25~/);
  assert.match(lines[1], /cost \$1\.25 · burn 12\.3k tok\/min \$4\.20\/h · sort cpu/);
  const warm = spender(true);
  assert.doesNotMatch(frame(warm, start(warm))[3], /\$1\.25~/);
  const gone = makeSnapshot([{ ...cold.agents[0], status: "done" }]);
  assert.doesNotMatch(frame(gone, start(gone))[3], /~/, "no mark once the agent is done");
});

Deno.test("detail view: phrase, changed files, limits, cache, burn, 5-hour block, terminal", () => {
  const snap = spender(false);
  const s = press(start(snap, BIG), snap, ["enter"], BIG).state;
  const lines = frame(snap, s, BIG);
  const text = lines.join("\n");
  assert.equal(lines[3], "waiting for you", "the phrase is the first line");
  assert.match(text, /Files changed \(3, newest last\)\n {2}src\/a\.ts\n {2}\/etc\/hosts\n {2}README\.md\n/);
  assert.match(text, /limits {6}5h 42% \(resets \d\d:\d\d\)/);
  assert.match(text, /cache {7}cold since \d\d:\d\d: next message re-reads 126k tokens ≈ \$0\.47/);
  assert.match(text, /burn rate {3}12\.3k tokens\/min · \$4\.20\/h {2}\(last 10 minutes\)/);
  assert.match(
    text,
    /5h block {4}\d\d:\d\d–\d\d:\d\d: 2\.1M tokens \$4\.10 so far, 5\.8M tokens \$9\.80 at this rate/,
  );
  const warm = spender(true);
  const warmText = frame(warm, press(start(warm, BIG), warm, ["enter"], BIG).state, BIG).join("\n");
  assert.match(warmText, /cache {7}warm for 4m00s; next message reads 126k tokens from it ≈ \$0\.04/);

  const fleetSnap = fleet();
  const tmuxText = frame(fleetSnap, press(start(fleetSnap, BIG), fleetSnap, ["enter"], BIG).state, BIG).join(
    "\n",
  );
  assert.match(tmuxText, /terminal {4}tmux pane %3 on \/dev\/pts\/3 {2}\(t jumps there\)/);
  const kitty = press(start(fleetSnap, BIG), fleetSnap, ["down", "down", "enter"], BIG).state;
  assert.match(frame(fleetSnap, kitty, BIG).join("\n"), /terminal {4}kitty on \/dev\/pts\/4\n/);
});
