/**
 * What the live view shows besides the data: sort, filter, selection, scroll, pause, overlays, the
 * yes/no question before ending a process and the one-line notice after an action. Keys change it
 * through the pure {@linkcode applyKey}; the frame renderer only reads it.
 *
 * @module
 */

import type { Agent, Snapshot } from "../../agents/types.ts";
import { SORT_CYCLE, type SortKey } from "../view.ts";
import {
  type Confirmation,
  endAgent,
  endOrphan,
  endOrphans,
  type JumpEffect,
  jumpTo,
  type Notice,
  type SignalEffect,
} from "./actions.ts";
import { detailLines } from "./detail.ts";
import type { Key } from "./keys.ts";
import type { Trends } from "./trends.ts";
import { BODY_TOP, bodyHeight, type Row, rowKey, type RowQuery, tableRows } from "./rows.ts";

/** The terminal size in cells. */
export interface ScreenSize {
  columns: number;
  rows: number;
}

/** The state of the live view. */
export interface ViewState {
  sort: SortKey;
  reverse: boolean;
  /** The applied filter. */
  filter: string;
  /** The filter being typed after `/`, or null when not typing. */
  editing: string | null;
  paused: boolean;
  help: boolean;
  /** Rows grouped under one heading per project. */
  group: boolean;
  /** Sessions without a live process shown too. */
  all: boolean;
  /** {@linkcode rowKey} of the selected row (an agent or an orphan). */
  selected: string | null;
  /** Row index of the selection (kept to stay in place when the selected agent goes away). */
  index: number;
  /** First table row on screen. */
  top: number;
  /** Key of the agent whose detail view is open. */
  detail: string | null;
  /** First detail line on screen. */
  detailTop: number;
  /** The question `y` answers (ending a process), or null. */
  confirm: Confirmation | null;
  /** What the last action did, until the next key; or null. */
  notice: Notice | null;
}

/**
 * What the caller does after a key besides drawing the new state: quit, tick now, repaint the whole
 * screen, end processes, or jump to a tmux pane.
 */
export type Effect = "none" | "quit" | "refresh" | "redraw" | SignalEffect | JumpEffect;

/** The result of a key: the next state and what to do. */
export interface Step {
  state: ViewState;
  effect: Effect;
}

/** The starting state from the command line. */
export function initialState(
  opts: { sort: SortKey; reverse: boolean; filter: string; all: boolean },
): ViewState {
  return {
    sort: opts.sort,
    reverse: opts.reverse,
    filter: opts.filter,
    editing: null,
    paused: false,
    help: false,
    group: false,
    all: opts.all,
    selected: null,
    index: 0,
    top: 0,
    detail: null,
    detailTop: 0,
    confirm: null,
    notice: null,
  };
}

/** The row query of a state: the filter being typed applies while it is typed. */
export function rowQuery(s: ViewState): RowQuery {
  return { sort: s.sort, reverse: s.reverse, filter: s.editing ?? s.filter, group: s.group, all: s.all };
}

/** Agent and orphan rows can be selected; headings cannot. */
const selectable = (rows: Row[], i: number) => rows[i] !== undefined && rows[i].kind !== "group";

/** Nearest selectable row to `i`, looking forward first when `forward`; -1 when there is none. */
function nearestRow(rows: Row[], i: number, forward: boolean): number {
  const start = Math.min(Math.max(i, 0), rows.length - 1);
  const dirs = forward ? [1, -1] : [-1, 1];
  for (const d of dirs) {
    for (let k = start; k >= 0 && k < rows.length; k += d) if (selectable(rows, k)) return k;
  }
  return -1;
}

/** The first row to draw so that the selection (and its group heading) is on screen. */
function scrollTop(top: number, index: number, rows: Row[], height: number): number {
  if (height <= 0) return 0;
  const want = rows[index - 1]?.kind === "group" ? index - 1 : index;
  let t = Math.min(top, want);
  if (index >= t + height) t = index - height + 1;
  return Math.max(0, Math.min(t, rows.length - height));
}

/**
 * The state made consistent with a snapshot and screen: the selection follows its row (or stays in
 * place when the agent or orphan is gone), is never on a heading, and is scrolled into view.
 */
export function settle(s: ViewState, snap: Snapshot | null, size: ScreenSize): ViewState {
  const rows = tableRows(snap, rowQuery(s));
  let index = s.selected === null ? -1 : rows.findIndex((r) => rowKey(r) === s.selected);
  if (index < 0) index = nearestRow(rows, s.index, true);
  if (index < 0) return { ...s, selected: null, index: 0, top: 0 };
  return {
    ...s,
    selected: rowKey(rows[index]),
    index,
    top: scrollTop(s.top, index, rows, bodyHeight(size.rows)),
  };
}

/** Moves the selection `delta` rows down (up when negative), over headings. */
function moveBy(s: ViewState, rows: Row[], delta: number): ViewState {
  const rowsAt = rows.flatMap((_, i) => (selectable(rows, i) ? [i] : []));
  if (!rowsAt.length) return s;
  const at = Math.max(0, rowsAt.indexOf(s.index));
  const next = rowsAt[Math.max(0, Math.min(rowsAt.length - 1, at + delta))];
  return { ...s, index: next, selected: null };
}

/** Moves the selection to the selectable row nearest row `i`. */
function moveTo(s: ViewState, rows: Row[], i: number, forward: boolean): ViewState {
  const k = nearestRow(rows, i, forward);
  return k < 0 ? s : { ...s, index: k, selected: null };
}

/** The step of an action key: its question, its effect, or the notice saying why not. */
function act(s: ViewState, what: Confirmation | Notice | JumpEffect): Step {
  if ("prompt" in what) return { state: { ...s, confirm: what }, effect: "none" };
  if ("kind" in what) return { state: s, effect: what };
  return { state: { ...s, notice: what }, effect: "none" };
}

/** `k`, `K` and `t` on an agent (in the table or its detail view), or on one of its orphans. */
function actionKey(s: ViewState, char: string, agent: Agent, orphan: Row | null): Step | null {
  switch (char) {
    case "k":
      return act(s, orphan?.kind === "orphan" ? endOrphan(agent, orphan.process) : endAgent(agent));
    case "K":
      return act(s, endOrphans(agent));
    case "t":
      return act(s, jumpTo(agent));
  }
  return null;
}

/** The answer to a question: `y` carries it out; any other key cancels. */
function answer(s: ViewState, confirm: Confirmation, key: Key): Step {
  if (key.name === "char" && (key.char === "y" || key.char === "Y")) {
    return { state: { ...s, confirm: null }, effect: confirm.effect };
  }
  return { state: { ...s, confirm: null, notice: { text: "cancelled", error: false } }, effect: "none" };
}

function editFilter(s: ViewState, key: Key): ViewState | null {
  const text = s.editing ?? "";
  switch (key.name) {
    case "char":
      return { ...s, editing: text + key.char };
    case "backspace":
      return { ...s, editing: [...text].slice(0, -1).join("") };
    case "ctrl-u":
      return { ...s, editing: "" };
    case "enter":
      return { ...s, filter: text.trim(), editing: null };
    case "escape":
      return { ...s, filter: "", editing: null };
  }
  return null;
}

function detailKey(
  s: ViewState,
  key: Key,
  snap: Snapshot | null,
  size: ScreenSize,
  trends: Trends | undefined,
): Step {
  const agent = snap?.agents.find((a) => a.key === s.detail);
  const height = bodyHeight(size.rows);
  const lines = agent ? detailLines(agent, snap!.takenAt, trends?.of(agent) ?? null).length : 0;
  const max = Math.max(0, lines - height);
  const scroll = (top: number): Step => ({
    state: { ...s, detailTop: Math.max(0, Math.min(max, top)) },
    effect: "none",
  });
  if (key.name === "char") {
    if (key.char === "q") return { state: s, effect: "quit" };
    const action = agent ? actionKey(s, key.char, agent, null) : null;
    return action ?? common(s, key.char) ?? { state: s, effect: "none" };
  }
  switch (key.name) {
    case "escape":
    case "backspace":
    case "left":
      return { state: { ...s, detail: null, detailTop: 0 }, effect: "none" };
    case "down":
      return scroll(s.detailTop + 1);
    case "up":
      return scroll(s.detailTop - 1);
    case "wheeldown":
      return scroll(s.detailTop + 3);
    case "wheelup":
      return scroll(s.detailTop - 3);
    case "pagedown":
      return scroll(s.detailTop + Math.max(1, height - 1));
    case "pageup":
      return scroll(s.detailTop - Math.max(1, height - 1));
    case "home":
      return scroll(0);
    case "end":
      return scroll(max);
    case "ctrl-l":
      return { state: s, effect: "redraw" };
  }
  return { state: s, effect: "none" };
}

/** Keys that mean the same in the table and the detail view. */
function common(s: ViewState, char: string): Step | null {
  switch (char) {
    case "?":
      return { state: { ...s, help: true }, effect: "none" };
    case " ":
    case "p":
      return { state: { ...s, paused: !s.paused }, effect: "none" };
    case "r":
      return { state: s, effect: "refresh" };
  }
  return null;
}

function tableChar(s: ViewState, char: string, rows: Row[]): Step {
  const row = rows[s.index];
  const action = row && row.kind !== "group" ? actionKey(s, char, row.agent, row) : null;
  if (action) return action;
  const step = (state: ViewState, effect: Effect = "none"): Step => ({ state, effect });
  switch (char) {
    case "q":
      return step(s, "quit");
    case "s":
      return step({ ...s, sort: SORT_CYCLE[(SORT_CYCLE.indexOf(s.sort) + 1) % SORT_CYCLE.length] });
    case "S":
      return step({ ...s, reverse: !s.reverse });
    case "/":
      return step({ ...s, editing: s.filter });
    case "g":
      return step({ ...s, group: !s.group });
    case "a":
      return step({ ...s, all: !s.all });
  }
  return common(s, char) ?? step(s);
}

function tableKey(s: ViewState, key: Key, rows: Row[], size: ScreenSize): Step {
  const height = Math.max(1, bodyHeight(size.rows));
  const step = (state: ViewState, effect: Effect = "none"): Step => ({ state, effect });
  switch (key.name) {
    case "char":
      return tableChar(s, key.char, rows);
    case "down":
      return step(moveBy(s, rows, 1));
    case "up":
      return step(moveBy(s, rows, -1));
    case "wheeldown":
      return step(moveBy(s, rows, 3));
    case "wheelup":
      return step(moveBy(s, rows, -3));
    case "pagedown":
      return step(moveTo({ ...s, top: s.top + height }, rows, s.index + height, true));
    case "pageup":
      return step(moveTo({ ...s, top: Math.max(0, s.top - height) }, rows, s.index - height, false));
    case "home":
      return step(moveTo({ ...s, top: 0 }, rows, 0, true));
    case "end":
      return step(moveTo(s, rows, rows.length - 1, false));
    case "enter": {
      const row = rows[s.index];
      return step(!row || row.kind === "group" ? s : { ...s, detail: row.agent.key, detailTop: 0 });
    }
    case "escape":
      return step({ ...s, filter: "" });
    case "click": {
      const i = s.top + key.y - BODY_TOP;
      const inBody = key.y >= BODY_TOP && key.y < BODY_TOP + height;
      return step(inBody && selectable(rows, i) ? { ...s, index: i, selected: null } : s);
    }
    case "ctrl-l":
      return step(s, "redraw");
  }
  return step(s);
}

/**
 * The next state after a key. Ctrl-C always quits; any key clears the notice; a question takes the
 * key as its answer (`y` yes, anything else no); while a filter is typed, keys edit it (arrows still
 * move); the help overlay closes on any key; the detail view takes Esc (close), scrolling, the
 * action keys (`k`, `K`, `t` for its agent) and the pause/refresh keys; the table takes the rest,
 * the action keys acting on the selected agent or orphan. The result is {@linkcode settle}d. `trends`
 * (the live view's memory, drawn in the detail view) counts in how far the detail view scrolls.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const before = initialState({ sort: "cpu", reverse: false, filter: "", all: false });
 * const size = { columns: 80, rows: 24 };
 * const { state, effect } = applyKey(before, { name: "char", char: "s" }, snapshot, size);
 * state.sort; // "mem", the next in the sort cycle
 * effect; // "none"
 * ```
 */
export function applyKey(
  before: ViewState,
  key: Key,
  snap: Snapshot | null,
  size: ScreenSize,
  trends?: Trends,
): Step {
  if (key.name === "ctrl-c") return { state: before, effect: "quit" };
  const s = before.notice === null ? before : { ...before, notice: null };
  const edited = s.editing !== null && !s.help && !s.confirm ? editFilter(s, key) : null;
  let result: Step;
  if (s.confirm) {
    result = answer(s, s.confirm, key);
  } else if (s.help) {
    result = { state: { ...s, help: false }, effect: "none" };
  } else if (edited) {
    result = { state: edited, effect: "none" };
  } else if (s.detail !== null) {
    result = detailKey(s, key, snap, size, trends);
  } else {
    result = tableKey(s, key, tableRows(snap, rowQuery(s)), size);
  }
  return { state: settle(result.state, snap, size), effect: result.effect };
}
