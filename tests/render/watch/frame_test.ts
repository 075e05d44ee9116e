import assert from "node:assert/strict";
import type { Snapshot } from "../../../agents/types.ts";
import { COLUMNS } from "../../../render/columns.ts";
import { loadStyle, type Style } from "../../../render/style.ts";
import { displayWidth, prepareWidths } from "../../../render/text.ts";
import { renderFrame } from "../../../render/watch/frame.ts";
import type { Key } from "../../../render/watch/keys.ts";
import { pressKeys } from "../../support/keys.ts";
import { BODY_TOP } from "../../../render/watch/rows.ts";
import { diffLines } from "../../../render/watch/screen.ts";
import { initialState, type ScreenSize, settle, type ViewState } from "../../../render/watch/state.ts";
import { makeAgent, makeSession, makeSnapshot } from "../../support/agents.ts";

await prepareWidths(["●"]);
const plain = await loadStyle(false);
const colour = await loadStyle(true);

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[\d;]*m/g;
const strip = (s: string) => s.replace(SGR, "");

const MiB = 1024 * 1024;

/** Three agents: a busy dangerous Claude Code with a tool, a waiting Codex, an idle Gemini CLI. */
function fleet(): Snapshot {
  return makeSnapshot([
    makeAgent({
      pid: 101,
      key: "101:1",
      status: "busy",
      cpuPercent: 42,
      rssBytes: 300 * MiB,
      project: "alpha",
      dangerous: true,
      dangerousFlags: ["--dangerously-skip-permissions"],
      costUsd: 1.25,
      costBasis: "api",
      contextPercent: 63,
      contextLimit: 200_000,
      session: makeSession({
        title: "Fix the flaky test",
        currentTool: {
          name: "Bash",
          arg: "npm test -- --reporter=dot --watch=false --coverage",
          id: "t1",
          startedAt: null,
        },
        tokens: { input: 1200, output: 3400, cacheRead: 120_000, cacheWrite: 5600, reasoning: 0 },
        contextTokens: 126_000,
        activity: [{ at: null, kind: "tool", text: "Bash npm test" }],
      }),
      children: [
        {
          pid: 150,
          ppid: 101,
          name: "sh",
          argv: ["sh", "-c", "npm test"],
          role: "child",
          state: "sleeping",
          startedAt: 0,
          cpuPercent: 0,
          rssBytes: MiB,
          threads: 1,
        },
        {
          pid: 151,
          ppid: 150,
          name: "node",
          argv: ["node", "jest"],
          role: "child",
          state: "running",
          startedAt: 0,
          cpuPercent: 80,
          rssBytes: 90 * MiB,
          threads: 7,
        },
      ],
      processes: [{
        pid: 100,
        ppid: 1,
        name: "node",
        argv: ["node", "/usr/lib/node_modules/.bin/claude"],
        role: "launcher",
        state: "sleeping",
        startedAt: 0,
        cpuPercent: 2,
        rssBytes: 40 * MiB,
        threads: 3,
      }],
      writingFiles: ["/home/me/alpha/src/app.ts"],
      git: { root: "/home/me/alpha", branch: "fix-flake", detached: null, worktree: true },
      terminal: "tmux pane %3",
      ports: [{ protocol: "tcp", address: "127.0.0.1", port: 5173, pid: 151 }],
      orphans: [{
        pid: 160,
        ppid: 1,
        name: "vite",
        argv: ["vite", "--port", "5174"],
        role: "orphan",
        state: "sleeping",
        startedAt: 0,
        cpuPercent: 0.5,
        rssBytes: 50 * MiB,
        threads: 4,
      }],
    }),
    makeAgent({
      pid: 202,
      key: "202:1",
      agent: "codex",
      label: "Codex",
      status: "waiting",
      cpuPercent: 5,
      rssBytes: 900 * MiB,
      project: "beta",
    }),
    makeAgent({
      pid: 303,
      key: "303:1",
      agent: "gemini",
      label: "Gemini CLI",
      status: "idle",
      cpuPercent: 1,
      rssBytes: 100 * MiB,
      project: "alpha",
    }),
  ]);
}

const SIZE: ScreenSize = { columns: 80, rows: 24 };

function start(snap: Snapshot | null, size = SIZE, over: Partial<ViewState> = {}): ViewState {
  return settle(
    { ...initialState({ sort: "cpu", reverse: false, filter: "", all: false }), ...over },
    snap,
    size,
  );
}

const press = (s: ViewState, snap: Snapshot | null, keys: (string | Key)[], size = SIZE) =>
  pressKeys(s, snap, keys, size);

function frame(snap: Snapshot | null, s: ViewState, size = SIZE, style: Style = plain): string[] {
  return renderFrame(snap, s, { ...size, style, interval: 1.5 });
}

function assertFits(lines: string[], size: ScreenSize): void {
  assert.equal(lines.length, size.rows);
  for (const l of lines) {
    assert.ok(displayWidth(strip(l)) <= size.columns, `wider than ${size.columns}: ${JSON.stringify(l)}`);
  }
}

const rowOf = (lines: string[], pid: number) =>
  lines.findIndex((l) => new RegExp(`\\s${pid}\\s`).test(strip(l)));

Deno.test("80x24: header, totals, table, key hint; exactly 24 lines none wider than 80", () => {
  const snap = fleet();
  const lines = frame(snap, start(snap));
  assertFits(lines, SIZE);
  assert.match(lines[0], /^agtop · box · \d\d:\d\d:\d\d · 3 agents \(1 busy, 1 waiting, 1 idle\)$/);
  assert.equal(lines[1], "CPU 48.0% · MEM 1.3G · tokens 130k · cost $1.25 · sort cpu · every 1.5s");
  assert.match(lines[2], /^ {3}STATUS\s+(?:FOR\s+)?AGENT\s+PID\s+PROJECT/);
  assert.match(
    lines[3],
    /^>! ● busy\s+(?:\d+[smhd]\s+)?Claude Code\s+101\s+alpha\s+Bash: npm/,
    "most CPU first, selected, dangerous",
  );
  assert.match(
    lines[4],
    /^ {3}└ orphan\s+vite\s+160\s+vite --port 51\S*\s+0\.5\s+50M$/,
    "its orphan under it",
  );
  assert.match(lines[5], /^ {3}◆ waiting\s+(?:\d+[smhd]\s+)?Codex\s+202/);
  assert.match(lines[6], /^ {3}○ idle\s+(?:\d+[smhd]\s+)?Gemini CLI\s+303/);
  assert.equal(lines[7], "");
  assert.match(lines[23], /^q quit {2}\? help {2}space pause {2}s sort {2}\/ filter/);
});

Deno.test("resize: 200x50 shows every column, 80x24 drops some, 40x10 keeps status and agent", () => {
  const snap = fleet();
  const wide = frame(snap, start(snap), { columns: 200, rows: 50 });
  assertFits(wide, { columns: 200, rows: 50 });
  assert.match(wide[2], new RegExp(`^ {3}${COLUMNS.map((c) => c.header).join("\\s+")}$`), "every column");
  assert.match(wide[3], /npm test -- --reporter=dot --watch=false --coverage/, "nothing cut when it fits");
  const mid = frame(snap, start(snap));
  assert.doesNotMatch(mid[2], /UP/);
  const tiny = frame(snap, start(snap, { columns: 40, rows: 10 }), { columns: 40, rows: 10 });
  assertFits(tiny, { columns: 40, rows: 10 });
  assert.match(tiny[2], /STATUS\s+(?:FOR\s+)?AGENT/);
  assert.match(tiny[3], /^>! ● busy/);
  assert.match(tiny[9], /^q quit/);
  for (const rows of [0, 1, 2, 3, 4]) {
    assertFits(frame(snap, start(snap), { columns: 30, rows }), { columns: 30, rows });
  }
});

Deno.test("long text is truncated with an ellipsis, never wrapped", () => {
  const snap = fleet();
  const lines = frame(snap, start(snap));
  assert.match(lines[3], /Bash: npm[^│]*…/);
  assert.ok(!lines.some((l) => l.includes("--coverage")));
  const narrow = frame(snap, start(snap), { columns: 44, rows: 24 });
  assert.equal(narrow[0], "agtop · 3 agents (1 busy, 1 waiting, 1 idle)", "host and time give way first");
  assert.equal(narrow[1], "CPU 48.0% · MEM 1.3G · cost $1.25", "then the settings, then tokens");
  assert.equal(frame(snap, start(snap), { columns: 30, rows: 24 })[0], "agtop · 3 agents (1 busy, 1 w…");
});

Deno.test("sorting: s cycles the key (selection follows its agent), S reverses", () => {
  const snap = fleet();
  let s = start(snap);
  s = press(s, snap, ["s"]).state;
  assert.equal(s.sort, "mem");
  let lines = frame(snap, s);
  assert.match(lines[1], /sort mem · /);
  assert.ok(rowOf(lines, 202) < rowOf(lines, 101) && rowOf(lines, 101) < rowOf(lines, 303));
  assert.match(lines[rowOf(lines, 101)], /^>/, "the selection stays on its agent");
  s = press(s, snap, ["S"]).state;
  lines = frame(snap, s);
  assert.match(lines[1], /sort mem \(reversed\)/);
  assert.ok(rowOf(lines, 303) < rowOf(lines, 101) && rowOf(lines, 101) < rowOf(lines, 202));
  s = press(s, snap, ["s", "s", "s", "s", "s", "s", "s", "s"]).state;
  assert.equal(s.sort, "cpu", "the cycle wraps");
});

Deno.test("filtering: / previews while typing, Enter applies, Esc clears", () => {
  const snap = fleet();
  let s = press(start(snap), snap, ["/", "b", "e", "t"]).state;
  let lines = frame(snap, s);
  assert.equal(s.editing, "bet");
  assert.match(lines[1], /filter "bet" 1\/3/);
  assert.match(lines[3], /^> {2}◆ waiting\s+(?:\d+[smhd]\s+)?Codex/, "the only match is selected");
  assert.equal(rowOf(lines, 101), -1);
  assert.match(lines[23], /^\/ bet█\s+Enter apply · Esc clear/);
  s = press(s, snap, ["backspace", "backspace", "backspace", "z", "z", "enter"]).state;
  assert.equal(s.filter, "zz");
  lines = frame(snap, s);
  assert.match(lines[3], /No agents match the filter\./);
  assert.match(lines[23], /^q quit/);
  s = press(s, snap, ["/", "escape"]).state;
  assert.equal(s.filter, "");
  assert.equal(s.editing, null);
  assert.notEqual(rowOf(frame(snap, s), 303), -1);
  const typed = press(start(snap), snap, ["/", "q", "j"]);
  assert.deepEqual(typed.effects, ["none", "none", "none"], "q and j are text while typing");
  assert.equal(press(typed.state, snap, ["ctrl-c"]).effects[0], "quit");
});

Deno.test("grouping: g puts agents under one heading per project; headings are never selected", () => {
  const snap = fleet();
  let s = press(start(snap), snap, ["g"]).state;
  const lines = frame(snap, s);
  assert.match(lines[1], /by project/);
  assert.match(lines[3], /^ {3}▾ alpha {2}2 agents · CPU 43\.0% · MEM 400M · \$1\.25$/);
  assert.match(lines[4], /^>! ● busy\s+(?:\d+[smhd]\s+)?Claude Code\s+101/);
  assert.match(lines[5], /└ orphan\s+vite\s+160/);
  assert.match(lines[6], /Gemini CLI\s+303/);
  assert.match(lines[7], /^ {3}▾ beta {2}1 agent/);
  assert.match(lines[8], /Codex\s+202/);
  s = press(s, snap, ["down", "down", "down"]).state;
  assert.equal(s.selected, "202:1", "moving skips the heading");
  s = press(s, snap, ["up", "up", "up", "up", "up"]).state;
  assert.equal(s.selected, "101:1");
});

Deno.test("moving and scrolling: arrows, PgUp/PgDn, Home/End, mouse click and wheel", () => {
  const many = makeSnapshot(
    Array.from(
      { length: 40 },
      (_, i) => makeAgent({ pid: 1000 + i, key: `${1000 + i}:1`, cpuPercent: 40 - i }),
    ),
  );
  let s = start(many);
  s = press(s, many, ["down", "down", "down"]).state;
  assert.equal(s.selected, "1003:1");
  s = press(s, many, ["up"]).state;
  assert.equal(s.selected, "1002:1");
  s = press(s, many, ["end"]).state;
  assert.equal(s.selected, "1039:1");
  let lines = frame(many, s);
  assert.match(lines[22], /^>.*1039/, "the last agent is on the last body line");
  assert.match(lines[3], /1020/, "scrolled: 20 body lines end at the last agent");
  s = press(s, many, ["home"]).state;
  assert.equal(s.selected, "1000:1");
  s = press(s, many, ["pagedown"]).state;
  assert.equal(s.selected, "1020:1");
  s = press(s, many, ["pageup"]).state;
  assert.equal(s.selected, "1000:1");
  s = press(s, many, [{ name: "click", x: 10, y: BODY_TOP + 4 }]).state;
  assert.equal(s.selected, "1004:1");
  s = press(s, many, [{ name: "click", x: 10, y: 1 }]).state;
  assert.equal(s.selected, "1004:1", "a click on the header selects nothing");
  s = press(s, many, [{ name: "wheeldown", x: 0, y: 5 }]).state;
  assert.equal(s.selected, "1007:1");
  lines = frame(many, s);
  assert.equal(lines.filter((l) => l.startsWith(">")).length, 1);
});

Deno.test("the selection stays in place when its agent goes away", () => {
  const snap = fleet();
  const s = press(start(snap), snap, ["down", "down"]).state;
  assert.equal(s.selected, "202:1");
  const gone = makeSnapshot(snap.agents.filter((a) => a.pid !== 202));
  const after = settle(s, gone, SIZE);
  assert.equal(after.selected, "303:1");
  assert.deepEqual(settle(after, makeSnapshot([]), SIZE).selected, null);
  assert.match(frame(makeSnapshot([]), start(makeSnapshot([])))[3], /No coding agents running\./);
});

Deno.test("detail view: process tree, files, session, tokens, context bar, activity; Esc closes", () => {
  const snap = fleet();
  const big = { columns: 120, rows: 60 };
  let s = press(start(snap, big), snap, ["enter"], big).state;
  assert.equal(s.detail, "101:1");
  const lines = frame(snap, s, big);
  assertFits(lines, big);
  const text = lines.join("\n");
  assert.match(lines[2], /^Claude Code! {2}pid 101 {2}● busy {2}alpha/);
  assert.match(text, /dangerous\s+runs without permission checks: --dangerously-skip-permissions/);
  assert.match(text, /main\s+101\s+40\.0\s+260M\s+claude/, "main's own share: total minus the launcher");
  assert.match(text, /launcher\s+100\s+2\.0\s+40M\s+node \/usr\/lib\/node_modules\/\.bin\/claude/);
  assert.match(text, /\n {4}child\s+150\s+0\.0\s+1\.0M\s+sh -c npm test/);
  assert.match(text, /\n {6}child\s+151\s+80\.0\s+90M\s+node jest/, "grandchildren indent deeper");
  assert.match(text, /git\s+branch fix-flake \(linked worktree\) {2}\/home\/me\/alpha/);
  assert.match(text, /terminal\s+tmux pane %3/);
  assert.match(text, /listening\s+tcp 127\.0\.0\.1:5173 \(pid 151\)/);
  assert.match(text, /\n {2}orphan\s+160\s+0\.5\s+50M\s+vite --port 5174/);
  assert.match(text, /Writing files \(1\)\n {2}\/home\/me\/alpha\/src\/app\.ts/);
  assert.match(text, /title\s+Fix the flaky test/);
  assert.match(text, /last prompt run the tests/);
  assert.match(text, /tool\s+Bash: npm test -- --reporter=dot --watch=false --coverage/);
  assert.match(text, /cache read\s+120k/);
  assert.match(text, /cost\s+\$1\.25 \(list prices\)/);
  assert.match(text, /\[█{19}░{11}\] 63% {2}126k of 200k/);
  assert.match(text, /Recent activity\n\s+tool\s+Bash npm test/);
  assert.match(lines[59], /^Esc back/);
  s = press(s, snap, ["escape"], big).state;
  assert.equal(s.detail, null);
  assert.match(frame(snap, s, big)[2], /STATUS/);
});

Deno.test("detail view scrolls on a small screen and survives its agent exiting", () => {
  const snap = fleet();
  let s = press(start(snap), snap, ["enter"]).state;
  const first = frame(snap, s);
  assertFits(first, SIZE);
  assert.match(first[2], /\(1–20 of \d+\)/);
  s = press(s, snap, ["down", "down", "pagedown"]).state;
  assert.equal(s.detailTop, 21);
  s = press(s, snap, ["end"]).state;
  const last = frame(snap, s);
  assert.match(last[22], /Bash npm test/, "End shows the last line");
  s = press(s, snap, ["home"]).state;
  assert.equal(s.detailTop, 0);
  const gone = makeSnapshot(snap.agents.slice(1));
  assert.match(frame(gone, settle(s, gone, SIZE))[3], /this agent has exited/);
  const noSession = press(start(snap), snap, ["down", "down", "enter"]).state;
  assert.match(frame(snap, noSession).join("\n"), /no session transcript linked/);
});

Deno.test("help overlay: ? opens it over the table, any key closes it", () => {
  const snap = fleet();
  let s = press(start(snap), snap, ["?"]).state;
  const lines = frame(snap, s);
  assertFits(lines, SIZE);
  const text = lines.join("\n");
  assert.match(text, /┌─+┐/);
  assert.match(text, /│ agtop keys/);
  assert.match(text, /│ {2}s \/ S\s+next sort key \/ reverse order\s+│/);
  assert.match(lines[0], /^agtop/, "the header stays");
  const { state, effects } = press(s, snap, ["q"]);
  assert.equal(state.help, false);
  assert.deepEqual(effects, ["none"], "q closes the help, not agtop");
  s = state;
  assert.ok(!frame(snap, s).join("\n").includes("agtop keys"));
  assertFits(frame(snap, press(start(snap), snap, ["?"]).state, { columns: 30, rows: 8 }), {
    columns: 30,
    rows: 8,
  });
});

Deno.test("keys with effects: quit, refresh, pause, all", () => {
  const snap = fleet();
  assert.deepEqual(press(start(snap), snap, ["q"]).effects, ["quit"]);
  assert.deepEqual(press(start(snap), snap, ["ctrl-c"]).effects, ["quit"]);
  assert.deepEqual(press(start(snap), snap, ["r"]).effects, ["refresh"]);
  assert.deepEqual(press(start(snap), snap, ["ctrl-l"]).effects, ["redraw"]);
  const paused = press(start(snap), snap, [" "]).state;
  assert.equal(paused.paused, true);
  assert.match(frame(snap, paused)[0], /^agtop · PAUSED · box/);
  assert.equal(press(paused, snap, ["p"]).state.paused, false);
  const all = press(start(snap), snap, ["a"]);
  assert.deepEqual(all.effects, ["none"], "the rows change at once, without a tick");
  assert.equal(all.state.all, true);
  assert.match(frame(snap, all.state)[1], /\+recent/);
});

Deno.test("sessions without a process show only with all", () => {
  const recent = makeAgent({
    pid: 0,
    key: "recent:1",
    status: "done",
    session: makeSession({ linkedBy: "recent" }),
  });
  const snap = makeSnapshot([...fleet().agents, recent]);
  const hidden = frame(snap, start(snap));
  assert.match(hidden[0], /· 3 agents/);
  assert.ok(!hidden.some((l) => l.includes("✓ done")));
  const shown = frame(snap, press(start(snap), snap, ["a"]).state);
  assert.match(shown[0], /· 4 agents .*1 done/);
  assert.ok(shown.some((l) => l.includes("✓ done")));
});

Deno.test("NO_COLOR: no escape codes at all; the > marker, ! mark and status symbols still read", () => {
  const snap = fleet();
  for (
    const s of [start(snap), press(start(snap), snap, ["enter"]).state, press(start(snap), snap, ["?"]).state]
  ) {
    for (const l of frame(snap, s)) assert.ok(!l.includes("\x1b"), JSON.stringify(l));
  }
  const lines = frame(snap, start(snap));
  assert.match(lines[3], /^>! ● busy/);
  assert.match(lines[5], /^ {3}◆ waiting/);
});

Deno.test("colour: status colours, red danger mark, inverse selected row padded to the width", () => {
  const snap = fleet();
  const lines = frame(snap, start(snap), SIZE, colour);
  assertFits(lines, SIZE);
  assert.ok(lines[3].startsWith("\x1b[7m"), JSON.stringify(lines[3]));
  assert.equal(displayWidth(strip(lines[3])), 80, "the selection bar spans the screen");
  assert.ok(lines[3].includes("\x1b[31m!"), "red !");
  assert.ok(
    lines[5].includes("\x1b[1m\x1b[33m◆ waiting") || lines[5].includes("\x1b[33m"),
    JSON.stringify(lines[5]),
  );
  assert.ok(!lines[5].includes("\x1b[7m"));
  assert.ok(lines[4].includes("\x1b[2m└ orphan"), "orphan rows are dim");
});

Deno.test("control characters from processes and transcripts never reach the screen", () => {
  const evil = "\x1b[2J\x1b]0;pwned\x07\r\nX\u202e\x9b31m\x00";
  const snap = makeSnapshot([
    makeAgent({
      key: "1:1",
      label: `Evil${evil}`,
      project: `p${evil}`,
      cwd: `/tmp/${evil}`,
      argv: ["evil", evil],
      dangerous: true,
      dangerousFlags: [evil],
      writingFiles: [`/tmp/${evil}`],
      terminal: evil,
      git: { root: evil, branch: evil, detached: null, worktree: false },
      ports: [{ protocol: "tcp", address: evil, port: 1, pid: 9 }],
      children: [{
        pid: 9,
        ppid: 4242,
        name: evil,
        argv: [evil],
        role: "child",
        state: "running",
        startedAt: 0,
        cpuPercent: 0,
        rssBytes: 0,
        threads: 1,
      }],
      session: makeSession({
        id: evil,
        title: evil,
        model: evil,
        gitBranch: evil,
        lastPrompt: evil,
        currentTask: evil,
        stopReason: evil,
        currentTool: { name: evil, arg: evil, id: null, startedAt: null },
        subagents: [{
          id: evil,
          type: evil,
          description: evil,
          status: "running",
          model: evil,
          tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
          currentTool: { name: evil, arg: evil, id: null, startedAt: null },
          lastActivity: null,
        }],
        activity: [{ at: null, kind: "text", text: evil }],
      }),
    }),
  ]);
  snap.host.hostname = `box${evil}`;
  const big = { columns: 200, rows: 80 };
  const states = [
    start(snap, big),
    press(start(snap, big), snap, ["enter"], big).state,
    press(start(snap, big), snap, ["g"], big).state,
    press(start(snap, big), snap, ["/", "\x1b[2J", "e"], big).state,
    { ...start(snap, big), filter: evil },
  ];
  for (const s of states) {
    for (const style of [plain, colour]) {
      for (const l of frame(snap, s, big, style)) {
        // deno-lint-ignore no-control-regex
        assert.doesNotMatch(strip(l), /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(l));
      }
    }
  }
});

Deno.test("screen diff: only changed lines are rewritten, inside synchronized output", () => {
  assert.equal(diffLines(["a", "b"], ["a", "b"]), "");
  const out = diffLines(["a", "b", "c"], ["a", "B", "c"]);
  assert.ok(out.startsWith("\x1b[?2026h") && out.endsWith("\x1b[?2026l"));
  assert.ok(out.includes("\x1b[2;1H\x1b[2KB"), "erased, then written");
  assert.ok(!out.includes("\x1b[1;1H") && !out.includes("\x1b[3;1H"));
  const shrink = diffLines(["a", "b"], ["a"]);
  assert.ok(shrink.includes("\x1b[2;1H\x1b[2K"), "a line that is gone is erased");
  const first = diffLines([], ["x", "y"]);
  assert.ok(first.includes("\x1b[1;1H\x1b[2Kx") && first.includes("\x1b[2;1H\x1b[2Ky"));
  const full = diffLines([""], ["x".repeat(80)]);
  assert.ok(
    !full.includes("\x1b[K") && full.endsWith("x".repeat(80) + "\x1b[0m\x1b[?2026l"),
    "nothing erases after a full-width line",
  );
});
