/**
 * One screen of `agtop watch`, as lines: a two-line header (host, time, counts, rate limits per
 * account; totals, burn rate, sort, filter, interval, pause), the agent table (orphans under their
 * agent, `~` after the cost of an agent whose prompt cache went cold) or the detail view of one
 * agent, an optional help overlay, and a last line with the key hint, a question or a notice.
 * Pure: (Snapshot, ViewState, size) in, exactly `rows` lines out, none wider than `columns`.
 *
 * @module
 */

import { aggregate } from "../../agents/aggregates.ts";
import type { Agent, AgentProcess, Snapshot } from "../../agents/types.ts";
import { type Column, COLUMNS } from "../columns.ts";
import { fitColumns, layoutRow } from "../layout.ts";
import type { Style } from "../style.ts";
import { moreSessionsLine, summaryLine } from "../summary.ts";
import { displayWidth, safeText } from "../text.ts";
import { formatBytes, formatCount, formatDuration, formatPercent, formatUsd } from "../units.ts";
import { TERMINATE_NAME } from "../../platform/types.ts";
import { clockTime, detailLines, detailTitle } from "./detail.ts";
import { accountLimits } from "./limits.ts";
import type { Trends } from "./trends.ts";
import { type Line, lineText, pack, paint, type Part, seg, styled, type Tone } from "./paint.ts";
import { bodyHeight, isRecentOnly, type Row, rowKey, shownAgents, tableRows } from "./rows.ts";
import { rowQuery, type ScreenSize, type ViewState } from "./state.ts";

/** How to draw a frame. */
export interface FrameOptions extends ScreenSize {
  style: Style;
  /** Refresh interval in seconds, shown in the header. */
  interval: number;
  /** Keys of the agents with an alert (config `[alerts]`), marked `▲` in the gutter. */
  alerts?: ReadonlySet<string>;
  /** The live view's memory of each agent, drawn as sparklines in the detail view. */
  trends?: Trends;
}

/** Width of the gutter before the table: selection marker, danger mark, alert mark. */
const GUTTER = 3;

/** True for a live agent whose prompt cache expired: its next message processes the whole context again. */
function cacheCold(a: Agent): boolean {
  return a.cache !== null && !a.cache.warm && a.pid > 0 && a.status !== "done" && a.costBasis !== "local";
}

/**
 * The table's columns in the live view: the danger mark moves to the gutter, where it is never cut;
 * the cost of an agent whose prompt cache is cold ends in `~`.
 */
const WATCH_COLUMNS: readonly Column[] = COLUMNS.map((c) => {
  if (c.id === "agent") return { ...c, text: (a: Agent) => safeText(a.label) };
  if (c.id === "cost") {
    return {
      ...c,
      max: c.max + 1,
      text: (a: Agent, now: number) => c.text(a, now) + (cacheCold(a) ? "~" : ""),
    };
  }
  return c;
});

/** An orphan's cells: under its agent's columns, `└ orphan` for status and its own command for doing. */
function orphanCells(o: AgentProcess, a: Agent, now: number): string[] {
  const ports = [...new Set(a.ports.filter((p) => p.pid === o.pid).map((p) => `:${p.port}`))].join(",");
  const cell: Record<string, string> = {
    status: "└ orphan",
    agent: safeText(o.name),
    pid: String(o.pid),
    doing: safeText(o.argv.length ? o.argv.join(" ") : o.name),
    cpu: formatPercent(o.cpuPercent),
    mem: formatBytes(o.rssBytes),
    ports,
    uptime: formatDuration(Math.max(0, (now - o.startedAt) / 1000)),
  };
  return WATCH_COLUMNS.map((c) => cell[c.id] ?? "");
}

/** The keys, for the help overlay. */
const HELP: readonly [string, string][] = [
  ["q, Ctrl-C", "quit"],
  ["?", "this help"],
  ["space, p", "pause / resume"],
  ["r", "refresh now"],
  ["s / S", "next sort key / reverse order"],
  ["/", "filter (Enter applies, Esc clears)"],
  ["↑ ↓", "move"],
  ["PgUp PgDn", "page"],
  ["Home End", "first / last"],
  ["Enter", "details of the agent (Esc closes)"],
  ["k", `end the selected agent or orphan (${TERMINATE_NAME}; asks y/n)`],
  ["K", "end every orphan of the selected agent (asks y/n)"],
  ["t", "jump to the agent's tmux pane"],
  ["g", "group by project"],
  ["c", "next colour theme"],
  ["a", "also show sessions without a process"],
  ["click", "select a row"],
  ["$1.25~", "the prompt cache went cold: the next message re-reads it"],
  ["▲", "an alert of the config file's [alerts] (see agtop events)"],
];

const TABLE_HINT: readonly [string, string][] = [
  ["q", "quit"],
  ["?", "help"],
  ["space", "pause"],
  ["s", "sort"],
  ["/", "filter"],
  ["⏎", "details"],
  ["k", "kill"],
  ["t", "tmux"],
  ["g", "group"],
  ["a", "all"],
];

const DETAIL_HINT: readonly [string, string][] = [
  ["Esc", "back"],
  ["↑↓", "scroll"],
  ["k", "kill"],
  ["K", "orphans"],
  ["t", "tmux"],
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
    // Totals over the agents shown (sessions without a process may be hidden).
    const shownTotals = aggregate(live);
    const view = live.length === snap.agents.length ? snap : { ...snap, agents: live };
    const [counts, ...totals] = summaryLine(view, shownTotals).split(" · ");
    first.push(part(safeText(snap.host.hostname), 3), part(clockTime(snap.takenAt), 2), part(counts, 0));
    for (const limits of accountLimits(live, snap.takenAt)) {
      first.push(part(limits.text, 1, limits.alert ? "danger" : "plain"));
    }
    second.push(...totals.map((t) => part(t, t.startsWith("prices ") ? 5 : t.startsWith("tokens ") ? 2 : 1)));
    const burn = shownTotals.burn;
    if (burn && burn.tokensPerMin > 0) {
      const usd = burn.usdPerHour === null ? "" : ` ${formatUsd(burn.usdPerHour)}/h`;
      // After the cost and before the prices date.
      second.splice(
        second.length - (snap.pricesDate ? 1 : 0),
        0,
        part(`burn ${formatCount(burn.tokensPerMin)} tok/min${usd}`, 2),
      );
    }
  } else {
    first.push(part("collecting…", 0));
  }
  second.push(part(`sort ${s.sort}${s.reverse ? " (reversed)" : ""}`, 2));
  const filter = s.editing ?? s.filter;
  if (filter) second.push(part(`filter "${safeText(filter)}" ${shown}/${live.length}`, 0));
  if (s.group) second.push(part("by project", 3));
  if (s.all) {
    const more = snap && moreSessionsLine(snap);
    second.push(part(more ? `+recent, ${more}` : "+recent", 3));
  }
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

/**
 * An agent's line (status in its colour, `!` in the gutter when dangerous, `▲` with an alert) or an
 * orphan's (dim).
 */
function rowLine(
  r: Extract<Row, { kind: "agent" | "orphan" }>,
  cells: string[],
  layout: ReturnType<typeof fitColumns>,
  selected: boolean,
  alerted: boolean,
): Line {
  const a = r.agent;
  const parts = layoutRow(layout, WATCH_COLUMNS, cells);
  const danger = r.kind === "agent" && a.dangerous;
  const alert = r.kind === "agent" && alerted;
  const line: Line = [
    seg(selected ? ">" : " "),
    danger ? seg("!", "danger") : seg(" "),
    alert ? seg("▲", "danger") : seg(" "),
  ];
  parts.forEach((p, k) => {
    if (k) line.push(seg("  "));
    if (r.kind === "orphan") line.push(seg(p, "dim"));
    else line.push(layout.columns[k].id === "status" ? seg(p, `status:${a.status}`) : seg(p));
  });
  return line;
}

/** The column heading line and the body lines of the table. */
function table(snap: Snapshot | null, s: ViewState, opts: FrameOptions, height: number): string[] {
  const { style, columns } = opts;
  const rows = tableRows(snap, rowQuery(s));
  const cells = new Map<Row, string[]>();
  for (const r of rows) {
    if (r.kind === "agent") cells.set(r, WATCH_COLUMNS.map((c) => c.text(r.agent, snap!.takenAt)));
    else if (r.kind === "orphan") cells.set(r, orphanCells(r.process, r.agent, snap!.takenAt));
  }
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
    const selected = rowKey(r) === s.selected;
    const line = rowLine(r, cells.get(r)!, layout, selected, opts.alerts?.has(r.agent.key) ?? false);
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
  const lines = detailLines(agent, snap.takenAt, opts.trends?.of(agent) ?? null);
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
  overlayBox(body, opts, [
    seg(" agtop keys", "bold"),
    ...HELP.map(([k, what]) => `  ${k.padEnd(keyWidth)}  ${what} `),
    " ",
    " any key closes this help",
  ]);
}

/** The processes a confirmation would end, boxed over the body lines (with `+N more` past the room). */
function overlayTargets(body: string[], opts: FrameOptions, list: readonly string[]): void {
  const room = Math.max(1, body.length - 4);
  const shown = list.length > room ? list.slice(0, room - 1) : list;
  const more = list.length - shown.length;
  overlayBox(body, opts, [
    seg(" these processes would get it:", "bold"),
    ...shown.map((l) => `  ${l} `),
    ...(more > 0 ? [`  +${more} more `] : []),
  ]);
}

/** A box of `lines` centred over the body lines. */
function overlayBox(body: string[], opts: FrameOptions, lines: (string | ReturnType<typeof seg>)[]): void {
  const inner = lines.map((x) => (typeof x === "string" ? [seg(x)] : [x]));
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
 * import type { Snapshot } from "../../agents/types.ts";
 * import { loadStyle } from "../style.ts";
 * import { initialState } from "./state.ts";
 * declare const snapshot: Snapshot;
 * const style = await loadStyle(false);
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
  else if (s.confirm?.list.length) overlayTargets(body, opts, s.confirm.list);
  const hint = s.confirm
    ? [seg(s.confirm.prompt, "bold"), seg(" y/n", "inverse")]
    : s.notice
    ? [seg(s.notice.text, s.notice.error ? "danger" : "bold")]
    : s.editing !== null
    ? [seg("/ ", "bold"), seg(safeText(s.editing)), seg("█"), seg("   Enter apply · Esc clear", "dim")]
    : hintLine(s.detail !== null ? DETAIL_HINT : TABLE_HINT);
  const last = paint(hint, columns, style);
  const lines = [...head, main[0], ...body.slice(0, height), last];
  if (rows <= 0) return [];
  return rows >= lines.length ? lines : [...lines.slice(0, rows - 1), last];
}
