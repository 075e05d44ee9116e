/**
 * Rate limits in words for the live view: per agent (`5h 42% (resets 14:05), wk 11%`) and per
 * account for the header (`codex 5h 42%, wk 11%`, `claude limited until 14:05`). An account is the
 * session's `account` (the data directory its reader found it under), else the vendor. Pure.
 *
 * @module
 */

import type { Agent } from "../../agents/types.ts";
import type { RateLimit } from "../../agents/session.ts";
import { safeText } from "../text.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * A time as `14:05` when it is on the same day as `now` (local time), else `Mon 14:05`.
 *
 * @example
 * ```ts
 * shortClock(Date.now() + 60_000, Date.now()); // e.g. "14:05"
 * ```
 */
export function shortClock(at: number, now: number): string {
  const d = new Date(at);
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return d.toDateString() === new Date(now).toDateString() ? hm : `${DAYS[d.getDay()]} ${hm}`;
}

/**
 * A rate-limit window's short name from its length: `5h`, `wk`, `1d`, `90m`; its own name when the
 * length is unknown (`usage`). Claude's Opus-only weekly window is `wk opus`.
 *
 * @example
 * ```ts
 * windowLabel({ name: "primary", usedPercent: 42, windowMinutes: 300, resetsAt: null, plan: null }); // "5h"
 * ```
 */
export function windowLabel(r: RateLimit): string {
  const m = r.windowMinutes;
  const opus = /opus/i.test(r.name) ? " opus" : "";
  if (m === null || m <= 0) return safeText(r.name.replaceAll("_", " "));
  if (m === 10_080) return `wk${opus}`;
  if (m % 1440 === 0) return `${m / 1440}d${opus}`;
  return m % 60 === 0 ? `${m / 60}h${opus}` : `${m}m${opus}`;
}

/** The windows still current at `now` (after a past reset the use is unknown), shortest first. */
function current(limits: readonly RateLimit[], now: number): RateLimit[] {
  return limits
    .filter((r) => r.usedPercent !== null && (r.resetsAt === null || r.resetsAt > now))
    .sort((a, b) => (a.windowMinutes ?? Infinity) - (b.windowMinutes ?? Infinity));
}

/**
 * An agent's rate-limit windows with their reset times, or null when it reports none current.
 *
 * @example
 * ```ts
 * import type { Agent, Snapshot } from "../../agents/types.ts";
 *
 * declare const snapshot: Snapshot;
 * declare const agent: Agent; // a Codex agent of snapshot
 * agentLimits(agent.session?.rateLimits, snapshot.takenAt);
 * // "5h 42% (resets 14:05), wk 11% (resets Mon 09:00)"
 * ```
 */
export function agentLimits(limits: readonly RateLimit[] | undefined, now: number): string | null {
  const shown = current(limits ?? [], now).map((r) =>
    `${windowLabel(r)} ${Math.round(r.usedPercent!)}%${
      r.resetsAt === null ? "" : ` (resets ${shortClock(r.resetsAt, now)})`
    }`
  );
  return shown.length ? shown.join(", ") : null;
}

/** One account's limits for the header. */
export interface AccountLimits {
  /** e.g. `codex 5h 42%, wk 11%` or `claude limited until 14:05`. */
  text: string;
  /** True when an agent of the account is limited or a window is at least 90 % used. */
  alert: boolean;
}

/**
 * The rate limits of each account the agents use, for the header: the newest reading of each window
 * (the one that resets last), and the latest reset of its `limited` agents. Accounts with nothing to
 * show are left out; two accounts of one vendor are told apart by their data directory's name.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 *
 * declare const snapshot: Snapshot; // one Codex agent
 * accountLimits(snapshot.agents, snapshot.takenAt).map((a) => a.text); // ["codex 5h 42%, wk 11%"]
 * ```
 */
export function accountLimits(agents: readonly Agent[], now: number): AccountLimits[] {
  const accounts = new Map<string, { vendor: string; dir: string; agents: Agent[] }>();
  for (const a of agents) {
    if (!a.session || (!a.session.rateLimits?.length && a.status !== "limited")) continue;
    const dir = a.session.account ?? "";
    const key = `${a.agent}\0${dir}`;
    const account = accounts.get(key) ?? { vendor: a.agent, dir, agents: [] };
    account.agents.push(a);
    accounts.set(key, account);
  }
  const perVendor = new Map<string, number>();
  for (const { vendor } of accounts.values()) perVendor.set(vendor, (perVendor.get(vendor) ?? 0) + 1);
  const out: AccountLimits[] = [];
  for (const { vendor, dir, agents: list } of accounts.values()) {
    const windows = new Map<string, RateLimit>();
    for (const r of list.flatMap((a) => a.session!.rateLimits ?? [])) {
      const had = windows.get(r.name);
      if (!had || (r.resetsAt ?? 0) > (had.resetsAt ?? 0)) windows.set(r.name, r);
    }
    const limited = list.filter((a) => a.status === "limited");
    const until = Math.max(...limited.map((a) => a.session!.limitedUntil ?? -Infinity));
    const parts = limited.length ? [until > now ? `limited until ${shortClock(until, now)}` : "limited"] : [];
    const shown = current([...windows.values()], now).filter((r) => !limited.length || r.usedPercent! < 100);
    parts.push(...shown.map((r) => `${windowLabel(r)} ${Math.round(r.usedPercent!)}%`));
    if (!parts.length) continue;
    const name = perVendor.get(vendor)! > 1 && dir
      ? `${vendor} (${safeText(dir.split(/[\\/]/).pop()!)})`
      : vendor;
    out.push({
      text: `${safeText(name)} ${parts.join(", ")}`,
      alert: limited.length > 0 || shown.some((r) => r.usedPercent! >= 90),
    });
  }
  return out;
}
