/**
 * What a report says: sessions' usage summed by day, week, month, session, project, model or agent,
 * priced, with what the prompt cache saved. Pure: the same sessions, prices and options give the same
 * report. Days, weeks and months split each session by the time of each request.
 *
 * @module
 */

import type { TokenBuckets, UsageMinute } from "../session.ts";
import { addTokens, emptyTokens, totalTokens } from "../session.ts";
import type { PriceTable } from "../pricing/table.ts";
import { isLocalModel, lookupModel, type ModelPrice } from "../pricing/table.ts";
import { cacheSavedUsd, modelCost } from "../pricing/cost.ts";
import { projectName } from "../project.ts";
import type { Calendar } from "./calendar.ts";
import type { UsageKind } from "./kinds.ts";
import type { HistorySession, Report, ReportRow, ReportSession, TimedBy, Unreadable } from "./types.ts";
import { ExactSum } from "../pricing/exact_sum.ts";

/** The JSON schema version of a report (`agtop report --format json`). */
export const REPORT_SCHEMA_VERSION = 1;

/** What a report is built from, besides the sessions. */
export interface ReportOptions {
  kind: UsageKind;
  calendar: Calendar;
  prices: PriceTable;
  since: number;
  until: number | null;
  /** Only sessions whose project name or working directory contains this (case-insensitive). */
  project?: string | null;
  breakdown?: boolean;
  now: number;
  unreadable?: Unreadable[];
}

/** One piece of usage: a minute of one model in one session, with its share of a recorded cost. */
export interface Piece {
  at: number;
  model: string;
  tokens: TokenBuckets;
  requests: number;
  /** The agent's recorded cost of this piece, when the agent records one. */
  recordedUsd: number | null;
}

/** Model name of usage whose model the store does not tell (as the readers name it). */
const UNKNOWN_MODEL = "unknown";

/**
 * A session's usage over time: its whole usage history where the reader keeps one, else its recent
 * minutes; whatever the timeline misses of the session's totals placed at its last activity. With
 * `whole`, one piece per model of the session's totals instead (priced in the order `ls` prices them).
 * The pieces always add up to the session's totals, and a recorded cost is shared by tokens.
 *
 * @example
 * ```ts
 * import type { HistorySession } from "./types.ts";
 * declare const h: HistorySession;
 * sessionPieces(h, false).timedBy; // "requests" where the reader kept every request's time
 * ```
 */
export function sessionPieces(h: HistorySession, whole: boolean): { pieces: Piece[]; timedBy: TimedBy } {
  const s = h.session;
  const line: UsageMinute[] = s.usageHistory ?? s.recentUsage ?? [];
  const seen: Record<string, TokenBuckets> = Object.create(null);
  const requests: Record<string, number> = Object.create(null);
  const end = s.lastActivity ?? s.startedAt ?? 0;
  // The whole session's pieces need only the requests per model of its timeline.
  const pieces: Piece[] = [];
  for (const m of line) {
    const model = m.model ?? UNKNOWN_MODEL;
    requests[model] = (requests[model] ?? 0) + m.requests;
    if (whole) continue;
    addTokens(seen[model] ??= emptyTokens(), m.tokens);
    pieces.push({ at: m.at, model, tokens: { ...m.tokens }, requests: m.requests, recordedUsd: null });
  }
  let placed = false;
  for (const [model, t] of Object.entries(s.tokensByModel)) {
    if (whole) {
      pieces.push({ at: end, model, tokens: { ...t }, requests: requests[model] ?? 0, recordedUsd: null });
      continue;
    }
    const had = seen[model] ?? emptyTokens();
    const rest = {
      input: Math.max(0, t.input - had.input),
      output: Math.max(0, t.output - had.output),
      cacheRead: Math.max(0, t.cacheRead - had.cacheRead),
      cacheWrite: Math.max(0, t.cacheWrite - had.cacheWrite),
      reasoning: Math.max(0, t.reasoning - had.reasoning),
    };
    if (totalTokens(rest) > 0) {
      pieces.push({ at: end, model, tokens: rest, requests: 0, recordedUsd: null });
      placed = true;
    }
  }
  shareRecordedCost(pieces, s.costUsd ?? null, end, s.model);
  const timed = !placed && (s.usageHistory !== undefined || line.length > 0);
  return { pieces, timedBy: timed ? "requests" : "session" };
}

/** Shares an agent's recorded cost among the pieces by tokens (one piece holds it where there are none). */
function shareRecordedCost(
  pieces: Piece[],
  recorded: number | null,
  end: number,
  model: string | null,
): void {
  if (recorded === null) return;
  const all = pieces.reduce((n, p) => n + totalTokens(p.tokens), 0);
  if (all === 0) {
    pieces.push({
      at: end,
      model: model ?? UNKNOWN_MODEL,
      tokens: emptyTokens(),
      requests: 0,
      recordedUsd: recorded,
    });
  } else for (const p of pieces) p.recordedUsd = recorded * totalTokens(p.tokens) / all;
}

/** A row being summed, as a thread hands it to another: sets as arrays, sums as their partials. */
export interface RowSumData {
  agents: string[];
  models: string[];
  sessions: string[];
  requests: number;
  tokens: TokenBuckets;
  cost: number[];
  costed: boolean;
  bases: string[];
  saved: number[];
  savedKnown: boolean;
  children: [string, RowSumData][];
}

/** A row being summed. Its costs are exact sums: the same however its pieces were split or ordered. */
class RowSum {
  agents = new Set<string>();
  models = new Set<string>();
  sessions = new Set<string>();
  requests = 0;
  tokens = emptyTokens();
  cost = new ExactSum();
  costed = false;
  bases = new Set<string>();
  saved = new ExactSum();
  savedKnown = false;
  children = new Map<string, RowSum>();

  add(agent: string, session: string, p: Piece, price: ModelPrice | null, sub: boolean): void {
    this.agents.add(agent);
    this.models.add(p.model);
    this.sessions.add(session);
    this.requests += p.requests;
    addTokens(this.tokens, p.tokens);
    if (p.recordedUsd !== null) {
      this.cost.add(p.recordedUsd);
      this.costed = true;
      this.bases.add("agent");
    } else if (totalTokens(p.tokens) > 0) {
      if (price) {
        this.cost.add(modelCost(p.tokens, price));
        this.costed = true;
        this.bases.add("list");
      } else this.bases.add("?");
    }
    if (price) {
      this.saved.add(cacheSavedUsd(p.tokens.cacheRead, price));
      this.savedKnown = true;
    }
    if (sub) this.#child(`${agent}/${p.model}`).add(agent, session, p, price, false);
  }

  /** Adds a row summed elsewhere (of other sessions). */
  merge(d: RowSumData): void {
    for (const a of d.agents) this.agents.add(a);
    for (const m of d.models) this.models.add(m);
    for (const s of d.sessions) this.sessions.add(s);
    this.requests += d.requests;
    addTokens(this.tokens, d.tokens);
    this.cost.merge(new ExactSum(d.cost));
    this.costed ||= d.costed;
    for (const b of d.bases) this.bases.add(b);
    this.saved.merge(new ExactSum(d.saved));
    this.savedKnown ||= d.savedKnown;
    for (const [key, child] of d.children) this.#child(key).merge(child);
  }

  /** This row to hand to another thread. */
  data(): RowSumData {
    return {
      agents: [...this.agents],
      models: [...this.models],
      sessions: [...this.sessions],
      requests: this.requests,
      tokens: { ...this.tokens },
      cost: this.cost.partials,
      costed: this.costed,
      bases: [...this.bases],
      saved: this.saved.partials,
      savedKnown: this.savedKnown,
      children: [...this.children].map(([k, c]) => [k, c.data()]),
    };
  }

  row(key: string, breakdown: boolean): ReportRow {
    const order = ["agent", "list", "?"];
    const row: ReportRow = {
      key,
      agents: [...this.agents].sort(),
      models: [...this.models].sort(),
      sessions: this.sessions.size,
      requests: this.requests,
      tokens: { ...this.tokens },
      totalTokens: totalTokens(this.tokens),
      costUsd: this.costed ? this.cost.value() : null,
      costBasis: order.filter((b) => this.bases.has(b)).join("+") || "?",
      cacheSavedUsd: this.savedKnown ? this.saved.value() : null,
    };
    if (breakdown) {
      row.breakdown = [...this.children].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
        .map(([k, c]) => c.row(k, false));
    }
    return row;
  }

  #child(key: string): RowSum {
    let child = this.children.get(key);
    if (!child) this.children.set(key, child = new RowSum());
    return child;
  }
}

/** What sessions are summed into the rows of a report by: {@linkcode ReportOptions} less what only the report says. */
export type SumOptions = Omit<ReportOptions, "now" | "unreadable">;

/** Report sums as a thread hands them to another (see {@linkcode ReportSums.data}). */
export interface ReportSumsData {
  rows: [string, RowSumData][];
  sessions: [string, ReportSession][];
  total: RowSumData;
}

/**
 * The rows of a report being summed: sessions are added in any order, on any thread, and the sums of
 * other threads merged in; the report is the same, to the last digit (costs are exact sums, and rows
 * are ordered by what they hold).
 *
 * @example
 * ```ts
 * import { bundledTable } from "../pricing/table.ts";
 * import { Calendar } from "./calendar.ts";
 * import type { HistorySession } from "./types.ts";
 *
 * declare const mine: HistorySession[];
 * declare const theirs: HistorySession[];
 * const opts = { kind: "daily" as const, calendar: new Calendar("UTC"), prices: bundledTable(), since: 0, until: null };
 * const other = new ReportSums(opts);
 * other.add(theirs);
 * const sums = new ReportSums(opts);
 * sums.add(mine);
 * sums.merge(other.data());
 * sums.report({ now: Date.now() }).totals.costUsd;
 * ```
 */
export class ReportSums {
  #opts: SumOptions;
  #priceOf: (model: string) => ModelPrice | null;
  #rows = new Map<string, RowSum>();
  #sessions = new Map<string, ReportSession>();
  #total = new RowSum();

  /** Sums of no session yet, for a report of `opts`. */
  constructor(opts: SumOptions) {
    this.#opts = opts;
    this.#priceOf = cachedPrices(opts.prices);
  }

  /**
   * Adds sessions. Days, weeks, months, projects, models and agents count the requests made within
   * [since, until), split by the time of each request; sessions rows carry each session's whole totals
   * (as `ls --all` shows them), for the sessions active in the window.
   */
  add(sessions: readonly HistorySession[]): void {
    const opts = this.#opts;
    const until = opts.until ?? Infinity;
    const breakdown = opts.breakdown ?? false;
    const wanted = (opts.project ?? "").toLowerCase();
    for (const h of sessions) {
      const s = h.session;
      const project = projectName(s.cwd);
      if (wanted && !`${project ?? ""}\n${s.cwd ?? ""}`.toLowerCase().includes(wanted)) continue;
      const { pieces, timedBy } = sessionPieces(h, opts.kind === "sessions");
      const agent = h.vendor.id;
      const id = `${agent}:${s.path}`;
      if (opts.kind === "sessions") {
        if ((s.startedAt ?? s.lastActivity ?? 0) >= until) continue;
        this.#sessions.set(id, {
          id: s.id,
          agent,
          title: s.title,
          project,
          cwd: s.cwd,
          path: s.path,
          startedAt: s.startedAt,
          lastActivity: s.lastActivity,
          timedBy,
        });
      }
      for (const p of pieces) {
        const inWindow = opts.kind === "sessions" || (p.at >= opts.since && p.at < until);
        if (!inWindow) continue;
        const key = rowKey(opts, p, agent, id, project);
        let sum = this.#rows.get(key);
        if (!sum) this.#rows.set(key, sum = new RowSum());
        const price = this.#priceOf(p.model);
        sum.add(agent, id, p, price, breakdown);
        this.#total.add(agent, id, p, price, breakdown);
      }
    }
  }

  /** Adds the sums of other sessions, made by another {@linkcode ReportSums} of the same options. */
  merge(d: ReportSumsData): void {
    for (const [key, row] of d.rows) {
      let sum = this.#rows.get(key);
      if (!sum) this.#rows.set(key, sum = new RowSum());
      sum.merge(row);
    }
    for (const [key, session] of d.sessions) this.#sessions.set(key, session);
    this.#total.merge(d.total);
  }

  /** These sums, to hand to another thread (plain data a structured clone carries). */
  data(): ReportSumsData {
    return {
      rows: [...this.#rows].map(([k, r]) => [k, r.data()]),
      sessions: [...this.#sessions],
      total: this.#total.data(),
    };
  }

  /** The report of the sessions added and merged, made at `now`, naming the stores it could not read. */
  report(at: Pick<ReportOptions, "now" | "unreadable">): Report {
    const opts = this.#opts;
    const breakdown = opts.breakdown ?? false;
    const out = [...this.#rows].map(([key, sum]) => {
      if (opts.kind !== "sessions") return sum.row(key, breakdown);
      const session = this.#sessions.get(key)!;
      return { ...sum.row(session.id, breakdown), session };
    });
    return {
      schema: REPORT_SCHEMA_VERSION,
      kind: opts.kind,
      timeZone: opts.calendar.zone,
      weekStart: opts.calendar.weekStart,
      since: opts.since,
      until: opts.until,
      generatedAt: at.now,
      rows: sortRows(out, opts.kind),
      totals: this.#total.row("total", breakdown),
      unreadable: at.unreadable ?? [],
      pricesDate: opts.prices.snapshot,
    };
  }
}

/**
 * Sums the sessions into the rows of `opts.kind` (see {@linkcode ReportSums.add}).
 *
 * @example
 * ```ts
 * import { bundledTable } from "../pricing/table.ts";
 * import { Calendar } from "./calendar.ts";
 * import type { HistorySession } from "./types.ts";
 *
 * declare const sessions: HistorySession[];
 * const report = buildReport(sessions, {
 *   kind: "daily", calendar: new Calendar("UTC"), prices: bundledTable(), since: 0, until: null, now: Date.now(),
 * });
 * report.totals.costUsd;
 * ```
 */
export function buildReport(sessions: readonly HistorySession[], opts: ReportOptions): Report {
  const sums = new ReportSums(opts);
  sums.add(sessions);
  return sums.report(opts);
}

/** The row a piece of usage goes to. */
function rowKey(
  opts: SumOptions,
  p: Piece,
  agent: string,
  session: string,
  project: string | null,
): string {
  switch (opts.kind) {
    case "daily":
      return opts.calendar.key(p.at, "day");
    case "weekly":
      return opts.calendar.key(p.at, "week");
    case "monthly":
      return opts.calendar.key(p.at, "month");
    case "sessions":
      return session;
    case "projects":
      return project ?? "(none)";
    case "models":
      return p.model;
    case "agents":
      return agent;
  }
}

/** Periods oldest first; sessions by last activity; projects, models and agents by cost, highest first. */
function sortRows(rows: ReportRow[], kind: UsageKind): ReportRow[] {
  if (kind === "daily" || kind === "weekly" || kind === "monthly") {
    return rows.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }
  if (kind === "sessions") {
    // Sessions as old as each other by agent and path: the same order however they were summed.
    const at = (r: ReportRow) => `${r.session!.agent}:${r.session!.path}`;
    return rows.sort((a, b) =>
      (a.session!.lastActivity ?? 0) - (b.session!.lastActivity ?? 0) ||
      (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0)
    );
  }
  return rows.sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || (a.key < b.key ? -1 : 1));
}

/** List prices by model name, looked up once each; local models are free, unknown ones null. */
function cachedPrices(table: PriceTable): (model: string) => ModelPrice | null {
  const FREE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, maxInputTokens: null };
  const cache = new Map<string, ModelPrice | null>();
  return (model) => {
    let price = cache.get(model);
    if (price === undefined) {
      price = isLocalModel(model) ? FREE : lookupModel(table, model)?.price ?? null;
      cache.set(model, price);
    }
    return price;
  };
}
