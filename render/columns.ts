/**
 * The columns of the agent table, shared by `agtop ls` and `agtop watch`: what each shows, how it
 * aligns, and which go first when the terminal is narrow.
 *
 * @module
 */

import type { Agent, AgentStatus } from "../agents/types.ts";
import { totalTokens } from "../agents/session.ts";
import { formatBytes, formatCount, formatDuration, formatPercent, formatSpan, formatUsd } from "./units.ts";
import { safeText } from "./text.ts";

/** One column of the agent table. */
export interface Column {
  id: string;
  header: string;
  align: "left" | "right";
  /** Lower is kept longer when space runs out (1 = never dropped). */
  priority: number;
  /** Narrowest useful width; flexible columns shrink down to it. */
  min: number;
  /** Widest it grows. */
  max: number;
  /** Takes the space left over and shrinks first. */
  flex?: boolean;
  /**
   * For a flexible column: the width it keeps while columns of lower priority can still be dropped
   * (it shrinks to `min` only after them).
   */
  soft?: number;
  /** Cell text at `now` (the snapshot's time, ms since epoch); already terminal-safe. */
  text(a: Agent, now: number): string;
}

/** Symbol and word for each status: readable without colour. */
export const STATUS_BADGE: Record<AgentStatus, string> = {
  busy: "● busy",
  waiting: "◆ waiting",
  subagents: "◎ subagents",
  limited: "⊘ limited",
  idle: "○ idle",
  done: "✓ done",
};

/**
 * What the agent is doing right now, in one line: the tool in flight and its argument, else the
 * command its child runs, else its current task, else the last prompt.
 */
export function doingText(a: Agent): string {
  const s = a.session;
  if (s?.currentTool) {
    const t = s.currentTool;
    return safeText(t.arg ? `${t.name}: ${t.arg}` : t.name);
  }
  if (s && s.subagents.some((x) => x.status === "running")) {
    const n = s.subagents.filter((x) => x.status === "running").length;
    return `${n} subagent${n === 1 ? "" : "s"}`;
  }
  const child = a.children.find((c) =>
    c.role === "child" && (c.ppid === a.pid || a.processes.some((p) => p.pid === c.ppid))
  );
  if (child) return safeText(child.command ?? (child.argv.length ? child.argv.join(" ") : child.name));
  if (a.orphans.length) {
    const n = a.orphans.length;
    return safeText(`${n} orphan${n === 1 ? "" : "s"}: ${a.orphans[0].argv.join(" ") || a.orphans[0].name}`);
  }
  if (s?.currentTask) return safeText(s.currentTask);
  if (s?.lastPrompt) return safeText(`“${s.lastPrompt}”`);
  return "—";
}

/** Listening ports as `:3000,:5173`; `—` when none. */
export function portsText(a: Agent): string {
  const ports = [...new Set(a.ports.map((p) => p.port))];
  return ports.length ? ports.map((p) => `:${p}`).join(",") : "—";
}

/** Total tokens of the agent's session, or null without one or when the agent records none. */
export function agentTokens(a: Agent): number | null {
  return a.session && a.session.tokensRecorded !== false ? totalTokens(a.session.tokens) : null;
}

const dash = (s: string | null | undefined) => (s ? safeText(s) : "—");

/** Every column, in display order. */
export const COLUMNS: readonly Column[] = [
  {
    id: "status",
    header: "STATUS",
    align: "left",
    priority: 1,
    min: 6,
    max: 11,
    text: (a) => STATUS_BADGE[a.status],
  },
  {
    id: "for",
    header: "FOR",
    align: "left",
    priority: 3,
    min: 3,
    max: 4,
    text: (a, now) => formatSpan((now - a.statusSince) / 1000),
  },
  {
    id: "agent",
    header: "AGENT",
    align: "left",
    priority: 1,
    min: 6,
    max: 14,
    text: (a) => safeText(a.label) + (a.dangerous ? "!" : ""),
  },
  { id: "pid", header: "PID", align: "right", priority: 2, min: 3, max: 8, text: (a) => String(a.pid) },
  {
    id: "project",
    header: "PROJECT",
    align: "left",
    priority: 3,
    min: 7,
    max: 20,
    text: (a) => dash(a.project),
  },
  {
    id: "model",
    header: "MODEL",
    align: "left",
    priority: 6,
    min: 5,
    max: 18,
    text: (a) => dash(a.session?.model),
  },
  {
    id: "doing",
    header: "DOING",
    align: "left",
    priority: 4,
    min: 10,
    soft: 24,
    max: 60,
    flex: true,
    text: doingText,
  },
  {
    id: "cpu",
    header: "CPU%",
    align: "right",
    priority: 2,
    min: 4,
    max: 6,
    text: (a) => formatPercent(a.cpuPercent),
  },
  {
    id: "mem",
    header: "MEM",
    align: "right",
    priority: 3,
    min: 4,
    max: 6,
    text: (a) => formatBytes(a.rssBytes),
  },
  {
    id: "tokens",
    header: "TOKENS",
    align: "right",
    priority: 5,
    min: 6,
    max: 7,
    text: (a) => formatCount(agentTokens(a)),
  },
  {
    id: "cost",
    header: "COST",
    align: "right",
    priority: 4,
    min: 5,
    max: 8,
    text: (a) => (a.session ? (a.costBasis === "local" ? "local" : formatUsd(a.costUsd)) : "—"),
  },
  {
    id: "ctx",
    header: "CTX%",
    align: "right",
    priority: 7,
    min: 4,
    max: 5,
    text: (a) => (a.contextPercent === null ? "—" : String(Math.round(a.contextPercent))),
  },
  {
    id: "ports",
    header: "PORTS",
    align: "left",
    priority: 9,
    min: 5,
    max: 16,
    text: portsText,
  },
  {
    id: "uptime",
    header: "UP",
    align: "right",
    priority: 8,
    min: 4,
    max: 6,
    text: (a) => formatDuration(a.uptimeSec),
  },
];
