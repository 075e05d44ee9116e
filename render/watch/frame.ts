/**
 * One screen of `agtop watch`, as lines: a two-line header (host, time, totals, sort, filter,
 * interval, pause), the agent table or the detail view of one agent, an optional help overlay, and a
 * one-line key hint. Pure: (Snapshot, ViewState, size) in, exactly `rows` lines out, none wider than
 * `columns`.
 *
 * @module
 */

import { aggregate } from "../../agents/aggregates.ts";
import type { Agent, Snapshot } from "../../agents/types.ts";
import { type Column, COLUMNS } from "../columns.ts";
import { fitColumns, layoutRow } from "../layout.ts";
import type { Style } from "../style.ts";
import { summaryLine } from "../summary.ts";
import { displayWidth, safeText } from "../text.ts";
import { formatBytes, formatPercent, formatUsd } from "../units.ts";
import { clockTime, detailLines, detailTitle } from "./detail.ts";
import { type Line, lineText, pack, paint, type Part, seg, styled, type Tone } from "./paint.ts";
import { bodyHeight, isRecentOnly, type Row, shownAgents, tableRows } from "./rows.ts";
import { rowQuery, type ScreenSize, type ViewState } from "./state.ts";

/** How to draw a frame. */
export interface FrameOptions extends ScreenSize {
  style: Style;
  /** Refresh interval in seconds, shown in the header. */
  interval: number;
}

/** Width of the gutter before the table: selection marker, danger mark, space. */
const GUTTER = 3;

/** The table's columns in the live view: the danger mark moves to the gutter, where it is never cut. */
const WATCH_COLUMNS: readonly Column[] = COLUMNS.map((c) =>
  c.id === "agent" ? { ...c, text: (a: Agent) => safeText(a.label) } : c
);

/** The keys, for the help overlay. */
const HELP: readonly [string, string][] = [
  ["q, Ctrl-C", "quit"],
  ["?", "this help"],
  ["space, p", "pause / resume"],
  ["r", "refresh now"],
  ["s / S", "next sort key / reverse order"],
  ["/", "filter (Enter applies, Esc clears)"],
  ["j k ↑ ↓", "move"],
  ["PgUp PgDn", "page"],
  ["Home End", "first / last"],
  ["Enter", "details of the agent (Esc closes)"],
  ["g", "group by project"],
  ["a", "also show sessions without a process"],
  ["click", "select a row"],
];

const TABLE_HINT: readonly [string, string][] = [
  ["q", "quit"],
  ["?", "help"],
  ["space", "pause"],
  ["s", "sort"],
  ["/", "filter"],
  ["⏎", "details"],
  ["g", "group"],
  ["a", "all"],
];

const DETAIL_HINT: readonly [string, string][] = [
  ["Esc", "back"],
  ["↑↓", "scroll"],
  ["space", "pause"],
  ["r", "refresh"],
  ["?", "help"],
  ["q", "quit"],
];

function hintLine(pairs: readonly [string, string][]): Line {
  return pairs.flatMap(([k, what], i) => [seg(i ? "  " : ""), seg(k, "bold"), seg(` ${what}`, "dim")]);
}

/** The two header lines: who and when with the count by status; then totals and the view's settings. */
function header(
  snap: Snapshot | null,
  s: ViewState,
  opts: FrameOptions,
  live: Agent[],
  shown: number,
): Line[] {
  const part = (text: string, drop: number, tone: Tone = "plain"): Part => ({
    segments: [seg(text, tone)],
    drop,
  });
  const first: Part[] = [part("agtop", 0, "bold"), ...(s.paused ? [part("PAUSED", 0, "inverse")] : [])];
  const second: Part[] = [];
  if (snap) {
    // summaryLine joins its fields with " · ": the count by status first, the prices date last.
    // Totals over the agents shown: recomputed only when sessions without a process are hidden.
    const view = live.length === snap.agents.length
      ? snap
      : { ...snap, agents: live, aggregates: aggregate(live) };
    const [counts, ...totals] = summaryLine(view).split(" · ");
    first.push(part(safeText(snap.host.hostname), 3), part(clockTime(snap.takenAt), 2), part(counts, 0));
    second.push(...totals.map((t) => part(t, t.startsWith("prices ") ? 5 : t.startsWith("tokens ") ? 2 : 1)));
  } else {
    first.push(part("collecting…", 0));
  }
  second.push(part(`sort ${s.sort}${s.reverse ? " (reversed)" : ""}`, 2));
  const filter = s.editing ?? s.filter;
  if (filter) second.push(part(`filter "${safeText(filter)}" ${shown}/${live.length}`, 0));
  if (s.group) second.push(part("by project", 3));
  if (s.all) second.push(part("+recent", 3));
  second.push(part(`every ${opts.interval}s`, 4));
  return [pack(first, opts.columns), pack(second, opts.columns)];
}

function groupLine(row: Extract<Row, { kind: "group" }>): Line {
  const t = aggregate(row.agents);
  const cost = row.agents.some((a) => a.costUsd !== null)
    ? ` · ${formatUsd(t.costUsd)}${t.costUnknown ? "+?" : ""}`
    : "";
  const n = t.agents;
  return [
    seg(" ".repeat(GUTTER)),
    seg(`▾ ${safeText(row.project)}`, "bold"),
    seg(
      `  ${n} agent${n === 1 ? "" : "s"} · CPU ${formatPercent(t.cpuPercent)}% · MEM ${
        formatBytes(t.rssBytes)
      }${cost}`,
      "dim",
    ),
  ];
}

function agentLine(
  a: Agent,
  cells: string[],
  layout: ReturnType<typeof fitColumns>,
  selected: boolean,
): Line {
  const parts = layoutRow(layout, WATCH_COLUMNS, cells);
  const line: Line = [seg(selected ? ">" : " "), a.dangerous ? seg("!", "danger") : seg(" "), seg(" ")];
  parts.forEach((p, k) => {
    if (k) line.push(seg("  "));
    line.push(layout.columns[k].id === "status" ? seg(p, `status:${a.status}`) : seg(p));
  });
  return line;
}

/** The column heading line and the body lines of the table. */
function table(snap: Snapshot | null, s: ViewState, opts: FrameOptions, height: number): string[] {
  const { style, columns } = opts;
  const rows = tableRows(snap, rowQuery(s));
  const cells = new Map<Agent, string[]>();
  for (const r of rows) if (r.kind === "agent") cells.set(r.agent, WATCH_COLUMNS.map((c) => c.text(r.agent)));
  const layout = fitColumns(WATCH_COLUMNS, [...cells.values()], columns - GUTTER);
  const rowWidth = GUTTER + layout.widths.reduce((t, w) => t + w, 2 * (layout.widths.length - 1));
  const head = layoutRow(layout, WATCH_COLUMNS, WATCH_COLUMNS.map((c) => c.header)).join("  ").trimEnd();
  const out = [paint([seg(" ".repeat(GUTTER)), seg(head, "bold")], columns, style)];
  if (!rows.length) {
    const why = !snap
      ? "collecting…"
      : (s.editing ?? s.filter)
      ? "No agents match the filter."
      : "No coding agents running.";
    out.push(paint([seg(" ".repeat(GUTTER)), seg(why, "dim")], columns, style));
    return out;
  }
  const top = Math.max(0, Math.min(s.top, rows.length - height));
  for (const r of rows.slice(top, top + height)) {
    if (r.kind === "group") {
      out.push(paint(groupLine(r), columns, style));
      continue;
    }
    const selected = r.agent.key === s.selected;
    const line = agentLine(r.agent, cells.get(r.agent)!, layout, selected);
    // Cells are fitted already: measure only when the layout could not fit the screen.
    const text = rowWidth <= columns
      ? styled(line, style) + (selected ? " ".repeat(columns - rowWidth) : "")
      : paint(line, columns, style, selected);
    out.push(selected ? style.inverse(text) : text.trimEnd());
  }
  return out;
}

/** The title line and body lines of the detail view. */
function detail(snap: Snapshot | null, s: ViewState, opts: FrameOptions, height: number): string[] {
  const { style, columns } = opts;
  const agent = snap?.agents.find((a) => a.key === s.detail);
  if (!snap || !agent) {
    return [
      paint([seg("Agent details", "bold")], columns, style),
      paint([seg("  this agent has exited", "dim")], columns, style),
    ];
  }
  const lines = detailLines(agent, snap.takenAt);
  const top = Math.max(0, Math.min(s.detailTop, lines.length - height));
  const more = lines.length > height
    ? `  (${top + 1}–${Math.min(lines.length, top + height)} of ${lines.length})`
    : "";
  return [
    paint([...detailTitle(agent), seg(more, "dim")], columns, style),
    ...lines.slice(top, top + height).map((l) => paint(l, columns, style)),
  ];
}

/** The help box, centred over the body lines. */
function overlayHelp(body: string[], opts: FrameOptions): void {
  const keyWidth = Math.max(...HELP.map(([k]) => [...k].length));
  const inner = [
    seg(" agtop keys", "bold"),
    ...HELP.map(([k, what]) => `  ${k.padEnd(keyWidth)}  ${what} `),
    " ",
    " any key closes this help",
  ].map((x) => (typeof x === "string" ? [seg(x)] : [x]));
  const width = Math.min(opts.columns, Math.max(...inner.map((l) => displayWidth(lineText(l)))) + 2);
  const pad = " ".repeat(Math.max(0, Math.floor((opts.columns - width) / 2)));
  const box: Line[] = [
    [seg(pad + "┌" + "─".repeat(width - 2) + "┐")],
    ...inner.map((
      l,
    ): Line => [
      seg(pad + "│"),
      ...l,
      seg(" ".repeat(Math.max(0, width - 2 - displayWidth(lineText(l)))) + "│"),
    ]),
    [seg(pad + "└" + "─".repeat(width - 2) + "┘")],
  ];
  const start = Math.max(0, Math.floor((body.length - box.length) / 2));
  box.slice(0, body.length).forEach((l, i) => (body[start + i] = paint(l, opts.columns, opts.style)));
}

/**
 * The lines of one frame: exactly `opts.rows` of them, each at most `opts.columns` wide; colours and
 * inverse come from `opts.style` (plain under NO_COLOR, where the `>` marker still shows the selection).
 *
 * @example
 * ```ts
 * const lines = renderFrame(snapshot, initialState({ sort: "cpu", reverse: false, filter: "", all: false }),
 *   { columns: 80, rows: 24, style, interval: 1.5 });
 * ```
 */
export function renderFrame(snap: Snapshot | null, s: ViewState, opts: FrameOptions): string[] {
  const { style, columns, rows } = opts;
  const height = bodyHeight(rows);
  const live = snap ? (s.all ? snap.agents : snap.agents.filter((a) => !isRecentOnly(a))) : [];
  const shown = shownAgents(snap, rowQuery(s)).length;
  const head = header(snap, s, opts, live, shown).map((l) => paint(l, columns, style));
  const main = s.detail !== null ? detail(snap, s, opts, height) : table(snap, s, opts, height);
  const body = main.slice(1);
  while (body.length < height) body.push("");
  if (s.help) overlayHelp(body, opts);
  const hint = s.editing !== null
    ? [seg("/ ", "bold"), seg(safeText(s.editing)), seg("█"), seg("   Enter apply · Esc clear", "dim")]
    : hintLine(s.detail !== null ? DETAIL_HINT : TABLE_HINT);
  const last = paint(hint, columns, style);
  const lines = [...head, main[0], ...body.slice(0, height), last];
  if (rows <= 0) return [];
  return rows >= lines.length ? lines : [...lines.slice(0, rows - 1), last];
}
