/**
 * Alerts from the config file's thresholds (`[alerts]`), computed from a snapshot alone: spending
 * (USD per hour, a day's budget), context fill, tokens per minute, one tool running too long, and a
 * stuck loop (the same tool call with the same argument several times in a row, or no progress for
 * minutes while busy). Alert texts hold numbers and tool names only, never arguments or prompts.
 *
 * @module
 */

import type { Agent, Snapshot } from "../agents/types.ts";
import { formatUsd } from "./units.ts";

/** The thresholds; an absent one never alerts. */
export interface AlertThresholds {
  /** USD per hour over the burn window (`cost_per_hour`). */
  costPerHour?: number;
  /** USD the sessions active today may cost together (`cost_per_day`). */
  costPerDay?: number;
  /** Context fill in percent (`context_percent`). */
  contextPercent?: number;
  /** Tokens per minute over the burn window (`tokens_per_minute`). */
  tokensPerMinute?: number;
  /** Minutes one tool call may run (`tool_minutes`). */
  toolMinutes?: number;
  /** The same tool call with the same argument this many times in a row is a loop (`repeated_calls`). */
  repeatedCalls?: number;
  /** Minutes busy without a new transcript record (`stalled_minutes`). */
  stalledMinutes?: number;
}

/** Which threshold an alert comes from (the config key). */
export type AlertKind =
  | "cost_per_hour"
  | "cost_per_day"
  | "context_percent"
  | "tokens_per_minute"
  | "tool_minutes"
  | "repeated_calls"
  | "stalled_minutes";

/** One alert of one agent. */
export interface Alert {
  /** The agent's key. */
  key: string;
  kind: AlertKind;
  /** What it says, e.g. `$6.20/h (over $5.00/h)`. */
  text: string;
}

const MINUTE = 60_000;

/** Same tool, same argument, this many times at the end of the activity tail. */
function repeatedCall(a: Agent): { text: string; times: number } | null {
  const tools = (a.session?.activity ?? []).filter((e) => e.kind === "tool");
  const last = tools.at(-1);
  if (!last) return null;
  let times = 0;
  for (let i = tools.length - 1; i >= 0 && tools[i].text === last.text; i--) times++;
  return { text: last.text, times };
}

function agentAlerts(a: Agent, t: AlertThresholds, now: number): Alert[] {
  const out: Alert[] = [];
  const add = (kind: AlertKind, text: string) => out.push({ key: a.key, kind, text });
  const usdH = a.burn?.usdPerHour ?? null;
  if (t.costPerHour !== undefined && usdH !== null && usdH >= t.costPerHour) {
    add("cost_per_hour", `${formatUsd(usdH)}/h (limit ${formatUsd(t.costPerHour)}/h)`);
  }
  if (t.contextPercent !== undefined && a.contextPercent !== null && a.contextPercent >= t.contextPercent) {
    add("context_percent", `context ${Math.round(a.contextPercent)}% full (limit ${t.contextPercent}%)`);
  }
  const tpm = a.burn?.tokensPerMin ?? null;
  if (t.tokensPerMinute !== undefined && tpm !== null && tpm >= t.tokensPerMinute) {
    add("tokens_per_minute", `${Math.round(tpm)} tokens/min (limit ${t.tokensPerMinute})`);
  }
  if (a.status === "done") return out;
  const tool = a.session?.currentTool;
  if (
    t.toolMinutes !== undefined && tool?.startedAt != null && now - tool.startedAt >= t.toolMinutes * MINUTE
  ) {
    add(
      "tool_minutes",
      `${tool.name} running ${Math.floor((now - tool.startedAt) / MINUTE)}m (limit ${t.toolMinutes}m)`,
    );
  }
  const loop = t.repeatedCalls !== undefined ? repeatedCall(a) : null;
  if (loop && loop.times >= t.repeatedCalls!) {
    add("repeated_calls", `the same ${loop.text.split(/[:\s]/)[0]} call ${loop.times} times in a row`);
  }
  const last = a.session?.lastActivity ?? null;
  if (t.stalledMinutes !== undefined && a.status === "busy" && last !== null) {
    const quiet = now - Math.max(last, a.statusSince);
    if (quiet >= t.stalledMinutes * MINUTE) {
      add("stalled_minutes", `busy without progress for ${Math.floor(quiet / MINUTE)}m`);
    }
  }
  return out;
}

/** Local midnight before `now`. */
function dayStart(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * The alerts of a snapshot's agents under `thresholds`, in agent order. The day's budget is one alert,
 * on the costliest of the sessions active today, when together they reach it.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../agents/types.ts";
 * declare const snapshot: Snapshot;
 * snapshotAlerts(snapshot, { contextPercent: 90 }); // [{ key: "4242:17", kind: "context_percent", text: "context 93% full (limit 90%)" }]
 * ```
 */
export function snapshotAlerts(snap: Snapshot, thresholds: AlertThresholds): Alert[] {
  const now = snap.takenAt;
  const out = snap.agents.flatMap((a) => agentAlerts(a, thresholds, now));
  if (thresholds.costPerDay !== undefined) {
    const today = snap.agents.filter((a) =>
      a.costUsd !== null && (a.session?.lastActivity ?? 0) >= dayStart(now)
    );
    const total = today.reduce((sum, a) => sum + a.costUsd!, 0);
    if (today.length && total >= thresholds.costPerDay) {
      const top = today.reduce((m, a) => (a.costUsd! > m.costUsd! ? a : m));
      out.push({
        key: top.key,
        kind: "cost_per_day",
        text: `today's sessions cost ${formatUsd(total)} (budget ${formatUsd(thresholds.costPerDay)})`,
      });
    }
  }
  return out;
}

/**
 * The alerts of each agent by its key, in the order they came.
 *
 * @example
 * ```ts
 * alertsByKey([{ key: "4242:17", kind: "context_percent", text: "context 93% full (limit 90%)" }]).get("4242:17")?.length; // 1
 * ```
 */
export function alertsByKey(alerts: readonly Alert[]): Map<string, Alert[]> {
  const out = new Map<string, Alert[]>();
  for (const a of alerts) {
    const list = out.get(a.key);
    if (list) list.push(a);
    else out.set(a.key, [a]);
  }
  return out;
}
