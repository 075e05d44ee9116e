/**
 * The live view's short memory: per agent, CPU and tokens per minute over the last minutes, one point
 * per {@linkcode POINT_MS}, and the context size over time for an estimate of when it fills. Fed one
 * snapshot at a time (O(agents) per tick), bounded (a ring of {@linkcode TREND_POINTS} points per
 * agent), forgotten when the agent leaves the snapshot. Pure data and maths: no terminal, no clock.
 *
 * @module
 */

import type { Agent, Snapshot } from "../../agents/types.ts";
import { totalTokens } from "../../agents/session.ts";

/** Time each point covers (ms). */
export const POINT_MS = 20_000;
/** Points kept per agent: {@linkcode POINT_MS} × this = the last 15 minutes. */
export const TREND_POINTS = 45;
/** The window the context growth rate is measured over (ms). */
export const GROWTH_WINDOW_MS = 10 * 60_000;
/** Least span (ms) of context samples before a growth rate is trusted. */
const GROWTH_MIN_MS = 60_000;
/** Estimates further out than this (ms) are not shown. */
const ETA_MAX_MS = 24 * 3_600_000;

/**
 * A fixed-size ring: pushing past its capacity drops the oldest value.
 *
 * @example
 * ```ts
 * const r = new Ring<number>(2);
 * r.push(1); r.push(2); r.push(3);
 * r.values(); // [2, 3]
 * ```
 */
export class Ring<T> {
  #items: T[] = [];
  #start = 0;
  #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Values held. */
  get length(): number {
    return this.#items.length;
  }

  /** Adds a value, dropping the oldest when full. */
  push(value: T): void {
    if (this.#items.length < this.#capacity) this.#items.push(value);
    else {
      this.#items[this.#start] = value;
      this.#start = (this.#start + 1) % this.#capacity;
    }
  }

  /** The newest value, or undefined when empty. */
  last(): T | undefined {
    const n = this.#items.length;
    return n ? this.#items[(this.#start + n - 1) % n] : undefined;
  }

  /** Every value, oldest first. */
  values(): T[] {
    return [...this.#items.slice(this.#start), ...this.#items.slice(0, this.#start)];
  }
}

/** One point of an agent's trend. */
interface Point {
  /** Start of the point's time slot (ms since epoch). */
  slot: number;
  cpuSum: number;
  cpuSamples: number;
  /** Tokens the session added within the slot. */
  tokens: number;
}

/** A context size seen at a time. */
export interface ContextSample {
  at: number;
  tokens: number;
}

/** What the detail view draws of one agent's trend. */
export interface Trend {
  /** Mean CPU % per point, oldest first; null for a slot without a sample (paused). */
  cpu: (number | null)[];
  /** Tokens per minute per point, oldest first; null for a slot without a sample. */
  tokensPerMin: (number | null)[];
  /** Minutes the points span. */
  minutes: number;
  /** When the context fills at the current growth rate (ms from the newest sample); null when not growing or unknown. */
  contextFullInMs: number | null;
}

/** One agent's memory. */
class AgentTrend {
  points = new Ring<Point>(TREND_POINTS);
  /** One context sample per slot: the first seen in it. */
  context = new Ring<ContextSample>(TREND_POINTS);
  /** The newest context sample. */
  latest: ContextSample | null = null;
  session: string | null = null;
  /** The session's total tokens at the last sample; null before the first. */
  tokens: number | null = null;

  observe(a: Agent, now: number): void {
    const slot = Math.floor(now / POINT_MS) * POINT_MS;
    const last = this.points.last();
    if (last && slot < last.slot) return; // a clock step back: keep the points as they are
    if (!last || slot > last.slot) {
      const gap = last ? Math.min(TREND_POINTS, (slot - last.slot) / POINT_MS - 1) : 0;
      for (let i = gap; i >= 1; i--) {
        this.points.push({ slot: slot - i * POINT_MS, cpuSum: 0, cpuSamples: 0, tokens: 0 });
      }
      this.points.push({ slot, cpuSum: 0, cpuSamples: 0, tokens: 0 });
    }
    const point = this.points.last()!;
    point.cpuSum += a.cpuPercent;
    point.cpuSamples++;
    const s = a.session;
    if (!s || s.id !== this.session) {
      this.session = s?.id ?? null;
      this.tokens = null;
      this.context = new Ring<ContextSample>(TREND_POINTS);
      this.latest = null;
    }
    if (!s) return;
    const total = s.tokensRecorded === false ? null : totalTokens(s.tokens);
    if (total !== null && this.tokens !== null && total > this.tokens) point.tokens += total - this.tokens;
    this.tokens = total;
    if (s.contextTokens !== null) this.#sampleContext({ at: now, tokens: s.contextTokens });
  }

  #sampleContext(sample: ContextSample): void {
    const last = this.context.last();
    if (!last || Math.floor(last.at / POINT_MS) !== Math.floor(sample.at / POINT_MS)) {
      this.context.push(sample);
    }
    this.latest = sample;
  }

  trend(limit: number | null): Trend {
    const points = this.points.values();
    const samples = this.latest ? [...this.context.values(), this.latest] : [];
    return {
      cpu: points.map((p) => (p.cpuSamples ? p.cpuSum / p.cpuSamples : null)),
      tokensPerMin: points.map((p) => (p.cpuSamples ? p.tokens * 60_000 / POINT_MS : null)),
      minutes: points.length * POINT_MS / 60_000,
      contextFullInMs: this.latest ? contextFullIn(samples, limit, this.latest.at) : null,
    };
  }
}

/**
 * Milliseconds until the context reaches `limit` at the rate it grew over the last
 * {@linkcode GROWTH_WINDOW_MS} before `now` (since its last drop, e.g. a compaction); null when the
 * limit is unknown, it did not grow, the samples span less than a minute, or it is further out than a
 * day. 0 when already full.
 *
 * @example
 * ```ts
 * const samples = [{ at: 0, tokens: 100_000 }, { at: 120_000, tokens: 120_000 }];
 * contextFullIn(samples, 200_000, 120_000); // 480000: 10K tokens a minute, 80K to go
 * ```
 */
export function contextFullIn(
  samples: readonly ContextSample[],
  limit: number | null,
  now: number,
): number | null {
  const newest = samples.at(-1);
  if (limit === null || !newest) return null;
  if (newest.tokens >= limit) return 0;
  let first = samples.length - 1;
  while (
    first > 0 && samples[first - 1].at >= now - GROWTH_WINDOW_MS &&
    samples[first - 1].tokens <= samples[first].tokens
  ) first--;
  const from = samples[first];
  const span = now - from.at;
  const grown = newest.tokens - from.tokens;
  if (span < GROWTH_MIN_MS || grown <= 0) return null;
  const eta = (limit - newest.tokens) / (grown / span);
  return eta > ETA_MAX_MS ? null : Math.round(eta);
}

/**
 * Trends of every agent in the live view, fed each snapshot as it arrives.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const snapshot: Snapshot;
 * const trends = new Trends();
 * trends.observe(snapshot);
 * trends.of(snapshot.agents[0])?.cpu; // [1.5]
 * ```
 */
export class Trends {
  #agents = new Map<string, AgentTrend>();
  #last = -Infinity;

  /**
   * Adds a snapshot's samples of its live agents; agents not in it are forgotten. A snapshot seen
   * twice counts once.
   */
  observe(snap: Snapshot): void {
    if (snap.takenAt === this.#last) return;
    this.#last = snap.takenAt;
    const seen = new Map<string, AgentTrend>();
    for (const a of snap.agents) {
      if (a.pid <= 0) continue; // a session whose process is gone (`--all`): nothing moves
      const t = this.#agents.get(a.key) ?? new AgentTrend();
      t.observe(a, snap.takenAt);
      seen.set(a.key, t);
    }
    this.#agents = seen;
  }

  /** The trend of an agent, or null when none was sampled. */
  of(a: Pick<Agent, "key" | "contextLimit">): Trend | null {
    return this.#agents.get(a.key)?.trend(a.contextLimit) ?? null;
  }

  /** Agents remembered. */
  get size(): number {
    return this.#agents.size;
  }
}

const BLOCKS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline: one block character per value, its height relative to `max` (default the largest
 * value); a blank for a missing value. Zero is the lowest block.
 *
 * @example
 * ```ts
 * sparkline([0, 50, 100, null]); // "▁▅█ "
 * sparkline([2, 4], 100); // "▁▁"
 * ```
 */
export function sparkline(values: readonly (number | null)[], max?: number): string {
  const top = max ?? Math.max(0, ...values.map((v) => v ?? 0));
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return " ";
    if (top <= 0) return BLOCKS[0];
    const level = Math.round((Math.min(Math.max(v, 0), top) / top) * (BLOCKS.length - 1));
    return BLOCKS[level];
  }).join("");
}
