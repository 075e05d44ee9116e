/**
 * A session's usage over time from the requests its store records one by one (a message with its time
 * and tokens): the per-minute timelines of {@linkcode SessionFacts} — the recent minutes always, every
 * minute for `agtop report` — built the same way for every agent that records per-request times.
 *
 * @module
 */

import type { SessionFacts, TokenBuckets } from "../session.ts";
import { mergeMinutes, MinuteUsage, RECENT_USAGE } from "../session.ts";

/** The usage timelines of a session's facts. */
export type UsageFacts = Pick<SessionFacts, "recentUsage" | "usageHistory">;

/** One request's usage: when it was made (ms since epoch; null when the store does not say), model, tokens. */
export interface TimedUsage {
  at: number | null;
  model: string | null;
  tokens: TokenBuckets;
}

/**
 * The per-minute timelines of `requests` (any order): the recent minutes, and with `history` every
 * minute. Requests without a time are left out (a report places what the timeline misses at the
 * session's last activity).
 *
 * @example
 * ```ts
 * import { emptyTokens } from "../session.ts";
 *
 * const tokens = { ...emptyTokens(), input: 10 };
 * const usage = usageTimeline([{ at: Date.parse("2026-11-24T23:59:30Z"), model: "m", tokens }], true);
 * usage.usageHistory?.[0].at === Date.parse("2026-11-24T23:59:00Z"); // true
 * ```
 */
export function usageTimeline(requests: Iterable<TimedUsage>, history: boolean): UsageFacts {
  const usage = new MinuteUsage(history);
  for (const r of requests) if (r.at !== null) usage.add(r.at, r.model, r.tokens);
  return usage.facts();
}

/**
 * A session's timelines with its subagents' added in (their minutes merged into the session's): the
 * whole timeline only where the session keeps one.
 *
 * @example
 * ```ts
 * import { emptyTokens } from "../session.ts";
 *
 * const minute = { at: 60_000, model: "m", tokens: { ...emptyTokens(), input: 1 }, requests: 1 };
 * withSubagentUsage({ recentUsage: [minute] }, [{ recentUsage: [minute] }]).recentUsage?.[0].requests; // 2
 * ```
 */
export function withSubagentUsage(session: UsageFacts, subagents: readonly UsageFacts[]): UsageFacts {
  const merged = (pick: (u: UsageFacts) => SessionFacts["recentUsage"]) =>
    mergeMinutes([session, ...subagents].flatMap((u) => pick(u) ?? []));
  return {
    ...(session.recentUsage ? { recentUsage: merged((u) => u.recentUsage) } : {}),
    ...(session.usageHistory ? { usageHistory: merged((u) => u.usageHistory) } : {}),
  };
}

/**
 * One session's timelines from several (a session's and its subagents' sessions'), as
 * {@linkcode usageTimeline} would build them from all their requests: minutes merged, and the recent
 * timeline cut again to one usage block ({@linkcode RECENT_USAGE}) from the newest minute of all.
 *
 * @example
 * ```ts
 * import { emptyTokens } from "../session.ts";
 *
 * const minute = (at: number) => ({ at, model: "m", tokens: { ...emptyTokens(), input: 1 }, requests: 1 });
 * joinTimelines([{ recentUsage: [minute(0)] }, { recentUsage: [minute(6 * 3_600_000)] }], false).recentUsage?.length; // 1
 * ```
 */
export function joinTimelines(timelines: readonly UsageFacts[], history: boolean): UsageFacts {
  if (timelines.length === 1 && !!timelines[0].usageHistory === history) return timelines[0];
  const recent = mergeMinutes(timelines.flatMap((t) => t.recentUsage ?? []));
  const newest = recent.at(-1)?.at ?? 0;
  let drop = 0;
  while (drop < recent.length && recent[drop].at < newest - RECENT_USAGE.spanMs) drop++;
  drop = Math.max(drop, recent.length - RECENT_USAGE.minutes);
  return {
    recentUsage: recent.slice(drop),
    ...(history ? { usageHistory: mergeMinutes(timelines.flatMap((t) => t.usageHistory ?? [])) } : {}),
  };
}
