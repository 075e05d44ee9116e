/**
 * `agtop ls --format=csv`: RFC 4180 with a header row and stable columns holding raw numbers
 * (bytes, seconds, percent, USD). Columns are documented in the README; new ones are only appended.
 *
 * @module
 */

import type { Agent, Snapshot } from "../agents/types.ts";
import { doingText } from "./columns.ts";

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
  ["started_at", (a) => new Date(a.startedAt).toISOString()],
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
  ["last_activity", (a) => (a.session?.lastActivity ? new Date(a.session.lastActivity).toISOString() : null)],
  ["ports", (a) => a.ports.map((p) => `${p.protocol}/${p.port}`).join(" ") || null],
  ["tty", (a) => a.tty],
  ["terminal", (a) => a.terminal],
  ["git_branch", (a) => a.git?.branch ?? a.git?.detached ?? null],
  ["git_worktree", (a) => (a.git ? a.git.worktree : null)],
  ["orphans", (a) => a.orphans.length],
];

/** The session's token buckets, or null when there is none or the agent records none. */
function tokensOf(a: Agent) {
  return a.session?.tokensRecorded === false ? null : a.session?.tokens;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * One RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. Other control
 * characters are replaced so a spreadsheet or terminal never receives them.
 */
export function csvField(v: Cell): string {
  if (v === null) return "";
  // deno-lint-ignore no-control-regex
  const s = String(v).replace(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/g, " ");
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The whole CSV document, CRLF line ends per RFC 4180. */
export function renderCsv(snap: Snapshot): string {
  const rows = [CSV_COLUMNS.map(([name]) => name).join(",")];
  for (const a of snap.agents) rows.push(CSV_COLUMNS.map(([, get]) => csvField(get(a))).join(","));
  return rows.join("\r\n") + "\r\n";
}
