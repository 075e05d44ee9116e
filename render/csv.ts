/**
 * `agtop ls --format=csv`: RFC 4180 with a header row and stable columns holding raw numbers
 * (bytes, seconds, percent, USD). Columns are documented in the README; new ones are only appended.
 *
 * @module
 */

import type { Agent, Snapshot } from "../agents/types.ts";
import { terminalSafe } from "../agents/formats/text.ts";
import { doingText } from "./columns.ts";
import { isoTime } from "./units.ts";
import { type Alert, alertsByKey } from "./alerts.ts";

type Cell = string | number | boolean | null;

/** Column name and value, in output order. */
export const CSV_COLUMNS: readonly [string, (a: Agent) => Cell][] = [
  ["agent", (a) => a.agent],
  ["label", (a) => a.label],
  ["pid", (a) => a.pid],
  ["ppid", (a) => a.ppid],
  ["status", (a) => a.status],
  ["project", (a) => a.project],
  ["cwd", (a) => a.cwd],
  ["cpu_percent", (a) => round(a.cpuPercent, 2)],
  ["rss_bytes", (a) => a.rssBytes],
  ["threads", (a) => a.threads],
  ["read_bytes", (a) => a.readBytes],
  ["write_bytes", (a) => a.writeBytes],
  ["uptime_sec", (a) => Math.round(a.uptimeSec)],
  ["started_at", (a) => isoTime(a.startedAt)],
  ["dangerous", (a) => a.dangerous],
  ["children", (a) => a.children.length],
  ["writing_files", (a) => a.writingFiles.length],
  ["command", (a) => a.argv.join(" ")],
  ["session_id", (a) => a.session?.id ?? null],
  ["model", (a) => a.session?.model ?? null],
  ["doing", (a) => doingText(a)],
  ["tool", (a) => a.session?.currentTool?.name ?? null],
  ["tool_arg", (a) => a.session?.currentTool?.arg ?? null],
  ["subagents_running", (a) => a.session?.subagents.filter((s) => s.status === "running").length ?? null],
  ["tokens_input", (a) => tokensOf(a)?.input ?? null],
  ["tokens_output", (a) => tokensOf(a)?.output ?? null],
  ["tokens_cache_read", (a) => tokensOf(a)?.cacheRead ?? null],
  ["tokens_cache_write", (a) => tokensOf(a)?.cacheWrite ?? null],
  ["tokens_reasoning", (a) => tokensOf(a)?.reasoning ?? null],
  ["cost_usd", (a) => (a.costUsd === null ? null : round(a.costUsd, 6))],
  ["cost_basis", (a) => a.costBasis],
  ["context_tokens", (a) => a.session?.contextTokens ?? null],
  ["context_limit", (a) => a.contextLimit],
  ["context_percent", (a) => (a.contextPercent === null ? null : round(a.contextPercent, 2))],
  ["last_activity", (a) => (a.session?.lastActivity ? isoTime(a.session.lastActivity) : null)],
  ["ports", (a) => a.ports.map((p) => `${p.protocol}/${p.port}`).join(" ") || null],
  ["tty", (a) => a.tty],
  ["terminal", (a) => a.terminal],
  ["git_branch", (a) => a.git?.branch ?? a.git?.detached ?? null],
  ["git_worktree", (a) => (a.git ? a.git.worktree : null)],
  ["orphans", (a) => a.orphans.length],
  ["cache_saved_usd", (a) => (a.cacheSavedUsd === null ? null : round(a.cacheSavedUsd, 6))],
];

/** The alert columns, after {@linkcode CSV_COLUMNS}: kinds (space-separated) and texts (`; `-separated). */
export const CSV_ALERT_COLUMNS: readonly [string, (alerts: readonly Alert[]) => Cell][] = [
  ["alerts", (l) => l.map((x) => x.kind).join(" ") || null],
  ["alert_text", (l) => l.map((x) => x.text).join("; ") || null],
];

/** The session's token buckets, or null when there is none or the agent records none. */
function tokensOf(a: Agent) {
  return a.session?.tokensRecorded === false ? null : a.session?.tokens;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A cell a spreadsheet would read as a formula: it starts (after spaces) with `=`, `+`, `-`, `@`, tab or CR. */
const FORMULA = /^ *[=+\-@\t\r]/;
/** Text that is a plain number (`-5`, `+1.5e3`): a spreadsheet reads it as that number, not a formula. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One RFC 4180 field: quoted when it holds a comma or quote; quotes doubled. Text passes the terminal
 * sanitiser first (escape sequences removed; C0 and C1 controls, line breaks, zero-width and
 * bidirectional marks and the byte order mark each turned into a space), so a spreadsheet or a
 * terminal never receives them; then a text cell a spreadsheet would take for a formula (OWASP's CSV
 * injection rule: starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`. Numbers, and text
 * that is a plain number such as `-5`, are left as they are.
 *
 * @example
 * ```ts
 * csvField("=cmd|' /C calc'!A0"); // "'=cmd|' /C calc'!A0"
 * csvField(-5); // "-5"
 * csvField("a\u009b31mb"); // "ab"
 * ```
 */
export function csvField(v: Cell): string {
  if (v === null) return "";
  let s = String(v);
  if (typeof v === "string") {
    s = terminalSafe(s);
    if (FORMULA.test(s) && !NUMBER.test(s.trim())) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The whole CSV document, CRLF line ends per RFC 4180; `alerts` (the config file's `[alerts]`) fill
 * the alert columns.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * renderCsv(snapshot, []).split("\r\n")[0].endsWith(",alerts,alert_text"); // true
 * ```
 */
export function renderCsv(snap: Snapshot, alerts: readonly Alert[] = []): string {
  const byKey = alertsByKey(alerts);
  const rows = [[...CSV_COLUMNS, ...CSV_ALERT_COLUMNS].map(([name]) => name).join(",")];
  for (const a of snap.agents) {
    const mine = byKey.get(a.key) ?? [];
    const cells = [
      ...CSV_COLUMNS.map(([, get]) => csvField(get(a))),
      ...CSV_ALERT_COLUMNS.map(([, get]) => csvField(get(mine))),
    ];
    rows.push(cells.join(","));
  }
  return rows.join("\r\n") + "\r\n";
}
