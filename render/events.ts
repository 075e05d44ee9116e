/**
 * What changed between two snapshots, as events (`agtop events`): an agent appeared or exited, its
 * status changed (from, to, and how long the previous status lasted), a tool or a subagent started or
 * finished, an alert was raised. Pure: two snapshots in, events out; and the two ways they are printed
 * (one JSON object, one line of text).
 *
 * @module
 */

import type { Agent, AgentStatus, Snapshot } from "../agents/types.ts";
import type { ToolCall } from "../agents/session.ts";
import type { Alert } from "./alerts.ts";
import { safeText } from "./text.ts";
import { formatSpan } from "./units.ts";

/** What happened. */
export type EventType =
  | "appeared"
  | "exited"
  | "status"
  | "tool_started"
  | "tool_finished"
  | "subagent_started"
  | "subagent_finished"
  | "alert";

/** One change, with the agent it happened to. */
export interface AgentEvent {
  type: EventType;
  /** When it was seen: the newer snapshot's time (ms since epoch). */
  at: number;
  key: string;
  pid: number;
  /** Vendor id. */
  agent: string;
  label: string;
  project: string | null;
  /** The agent's status after the change (before it, for `exited`). */
  status: AgentStatus;
  /** `status`: the previous status. */
  from?: AgentStatus;
  /** `status`: the new status. */
  to?: AgentStatus;
  /** `status`, `exited`: how long the previous status lasted (ms). */
  lastedMs?: number;
  /** `tool_*`: the tool's name and its argument. */
  tool?: string;
  arg?: string;
  /** `tool_finished`, `subagent_finished`: how long it ran (ms), when its start is known. */
  tookMs?: number;
  /** `subagent_*`: the subagent's id, type and description. */
  subagent?: { id: string; type: string | null; description: string | null };
  /** `alert`: which threshold and what it says. */
  alert?: { kind: string; text: string };
}

const sameCall = (a: ToolCall | null, b: ToolCall | null) =>
  a !== null && b !== null &&
  (a.id !== null || b.id !== null
    ? a.id === b.id
    : a.name === b.name && a.arg === b.arg && a.startedAt === b.startedAt);

function base(type: EventType, a: Agent, at: number): AgentEvent {
  return {
    type,
    at,
    key: a.key,
    pid: a.pid,
    agent: a.agent,
    label: a.label,
    project: a.project,
    status: a.status,
  };
}

function toolEvents(before: Agent, after: Agent, at: number): AgentEvent[] {
  const was = before.session?.currentTool ?? null;
  const now = after.session?.currentTool ?? null;
  if (sameCall(was, now) || (was === null && now === null)) return [];
  const out: AgentEvent[] = [];
  if (was) {
    const took = was.startedAt === null ? {} : { tookMs: Math.max(0, at - was.startedAt) };
    out.push({ ...base("tool_finished", after, at), tool: was.name, arg: was.arg, ...took });
  }
  if (now) out.push({ ...base("tool_started", after, at), tool: now.name, arg: now.arg });
  return out;
}

function subagentEvents(before: Agent | null, after: Agent, at: number): AgentEvent[] {
  const running = (a: Agent | null) =>
    new Map((a?.session?.subagents ?? []).filter((s) => s.status === "running").map((s) => [s.id, s]));
  const was = running(before);
  const now = running(after);
  const out: AgentEvent[] = [];
  for (const [id, s] of was) {
    if (now.has(id)) continue;
    out.push({
      ...base("subagent_finished", after, at),
      subagent: { id, type: s.type, description: s.description },
    });
  }
  for (const [id, s] of now) {
    if (was.has(id)) continue;
    out.push({
      ...base("subagent_started", after, at),
      subagent: { id, type: s.type, description: s.description },
    });
  }
  return out;
}

/**
 * The events between `before` (null at start: nothing happened yet, every agent is already there) and
 * `after`, in agent order: exits first, then per agent its appearance, status change, tools, subagents
 * and new alerts (`alerts` of each snapshot, from `snapshotAlerts`; an alert counts once, while it
 * holds).
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const before: Snapshot, after: Snapshot;
 * for (const e of snapshotEvents(before, after)) console.log(eventJson(e));
 * ```
 */
export function snapshotEvents(
  before: Snapshot | null,
  after: Snapshot,
  alerts: { before: readonly Alert[]; after: readonly Alert[] } = { before: [], after: [] },
): AgentEvent[] {
  if (!before) return [];
  const at = after.takenAt;
  const previous = new Map(before.agents.map((a) => [a.key, a]));
  const seen = new Set(after.agents.map((a) => a.key));
  const raised = new Set(alerts.before.map((a) => `${a.key}\0${a.kind}`));
  const out: AgentEvent[] = [];
  for (const a of before.agents) {
    if (seen.has(a.key)) continue;
    out.push({ ...base("exited", a, at), lastedMs: Math.max(0, at - a.statusSince) });
  }
  for (const a of after.agents) {
    const was = previous.get(a.key) ?? null;
    if (!was) out.push(base("appeared", a, at));
    else if (was.status !== a.status) {
      out.push({
        ...base("status", a, at),
        from: was.status,
        to: a.status,
        lastedMs: Math.max(0, at - was.statusSince),
      });
    }
    if (was) out.push(...toolEvents(was, a, at));
    out.push(...subagentEvents(was, a, at));
    for (const alert of alerts.after) {
      if (alert.key !== a.key || raised.has(`${a.key}\0${alert.kind}`)) continue;
      out.push({ ...base("alert", a, at), alert: { kind: alert.kind, text: alert.text } });
    }
  }
  return out;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/**
 * An event as one line of JSON with snake_case keys and an ISO time in `at`.
 *
 * @example
 * ```ts
 * import type { AgentEvent } from "./events.ts";
 * declare const event: AgentEvent;
 * JSON.parse(eventJson(event)).type; // "status"
 * ```
 */
export function eventJson(e: AgentEvent): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v !== undefined) out[snake(k)] = k === "at" ? new Date(v as number).toISOString() : v;
  }
  return JSON.stringify(out);
}

/**
 * An event as one line of terminal-safe text: time, agent, pid, project, and what happened.
 *
 * @example
 * ```ts
 * import type { AgentEvent } from "./events.ts";
 * declare const event: AgentEvent;
 * eventText(event, "10:03:12"); // "10:03:12  Claude Code 4242 shop  busy → waiting (busy 4m)"
 * ```
 */
export function eventText(e: AgentEvent, time: string): string {
  const who = `${e.label} ${e.pid}${e.project ? ` ${e.project}` : ""}`;
  const took = (ms: number | undefined) => (ms === undefined ? "" : ` (${formatSpan(ms / 1000)})`);
  const call = `${e.tool ?? ""}${e.arg ? `: ${e.arg}` : ""}`;
  const sub = e.subagent
    ? [e.subagent.type, e.subagent.description].filter(Boolean).join(": ") || e.subagent.id
    : "";
  const what: Record<EventType, () => string> = {
    appeared: () => `appeared, ${e.status}`,
    exited: () =>
      `exited (${e.status}${e.lastedMs === undefined ? "" : ` ${formatSpan(e.lastedMs / 1000)}`})`,
    status: () => `${e.from} → ${e.to} (${e.from} ${formatSpan((e.lastedMs ?? 0) / 1000)})`,
    tool_started: () => `tool started: ${call}`,
    tool_finished: () => `tool finished: ${call}${took(e.tookMs)}`,
    subagent_started: () => `subagent started: ${sub}`,
    subagent_finished: () => `subagent finished: ${sub}`,
    alert: () => `alert: ${e.alert?.text ?? ""}`,
  };
  return safeText(`${time}  ${who}  ${what[e.type]()}`);
}
