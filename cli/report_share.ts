/**
 * What the threads of a history read share (`readHistoryInWorkers`): counters in shared memory (the next
 * session to read, how much all have read), what a report's rows are summed by, and sessions as a worker
 * sends them to the thread that joins the report, the usage minutes packed into one array of numbers
 * each, since a structured clone of many small objects costs more than reading them did.
 *
 * @module
 */

import type { SessionFacts, UsageMinute } from "../agents/session.ts";
import type { SumOptions } from "../agents/history/report.ts";
import type { Weekday } from "../agents/history/kinds.ts";
import { Calendar } from "../agents/history/calendar.ts";

/** Cells of a {@linkcode SharedCounter}: the next index, the sessions read, the KiB read. */
const COUNTER_CELLS = 3;

/**
 * Counters the threads of one history read share in memory: each takes the index of the next unread
 * session from it, and counts what it read into it, so any thread can tell the progress of all at once.
 *
 * @example
 * ```ts
 * const counter = new SharedCounter();
 * counter.next(); // 0
 * counter.next(); // 1
 * counter.read(2048); // { read: 1, bytes: 2048 }
 * new SharedCounter(counter.buffer).read(1024); // { read: 2, bytes: 3072 }
 * counter.totals(); // { read: 2, bytes: 3072 }
 * counter.counting()(1, 10, 1024); // a thread's progress hook: counts one more session of 1 KiB
 * ```
 */
export class SharedCounter {
  /** The shared memory: hand it to another thread, which builds its counter on it. */
  readonly buffer: SharedArrayBuffer;
  #cells: Int32Array;

  /** Counters on `buffer` (another thread's), or on new memory. */
  constructor(buffer = new SharedArrayBuffer(COUNTER_CELLS * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.#cells = new Int32Array(buffer);
  }

  /** The index of the next unread session: each index is handed out once, over all threads. */
  next(): number {
    return Atomics.add(this.#cells, 0, 1);
  }

  /** Counts one more session read, of `bytes`; returns how many sessions and bytes all threads read so far. */
  read(bytes: number): { read: number; bytes: number } {
    const kib = Math.round(bytes / 1024);
    const read = Atomics.add(this.#cells, 1, 1) + 1;
    return { read, bytes: (Atomics.add(this.#cells, 2, kib) + kib) * 1024 };
  }

  /**
   * The progress hook of one thread's read (it hears that thread's own sessions and bytes so far): counts
   * each session into this counter and hands `all` the counts of every thread.
   */
  counting(
    all?: (read: number, bytes: number) => void,
  ): (read: number, total: number, bytes: number) => void {
    let counted = 0;
    return (_read, _total, bytes) => {
      const now = this.read(bytes - counted);
      counted = bytes;
      all?.(now.read, now.bytes);
    };
  }

  /** How many sessions and bytes all threads read so far. */
  totals(): { read: number; bytes: number } {
    return { read: Atomics.load(this.#cells, 1), bytes: Atomics.load(this.#cells, 2) * 1024 };
  }
}

/** Numbers per usage minute in {@linkcode PackedMinutes}: time, model, the five buckets, requests. */
const MINUTE_NUMBERS = 8;

/** Usage minutes as a worker sends them: numbers in one array, models by index (cloning many small objects is slow). */
export interface PackedMinutes {
  models: (string | null)[];
  numbers: Float64Array;
}

/** A session a worker read, its usage minutes packed. */
export interface SharedSession {
  agent: string;
  session: Omit<SessionFacts, "usageHistory" | "recentUsage">;
  usageHistory?: PackedMinutes;
  recentUsage?: PackedMinutes;
}

/**
 * A session's facts as a worker sends them: the usage minutes packed with {@linkcode packMinutes}; its
 * recent minutes left out where the whole history is there (a report reads the history then).
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "../agents/session.ts";
 * declare const session: SessionFacts;
 * const shared = shareSession("claude", session);
 * receiveSession(shared).usageHistory; // as session.usageHistory
 * ```
 */
export function shareSession(agent: string, facts: SessionFacts): SharedSession {
  const { usageHistory, recentUsage, ...session } = facts;
  const shared: SharedSession = { agent, session };
  if (usageHistory) shared.usageHistory = packMinutes(usageHistory);
  else if (recentUsage) shared.recentUsage = packMinutes(recentUsage);
  return shared;
}

/**
 * The session facts a worker sent with {@linkcode shareSession}.
 *
 * @example
 * ```ts
 * import type { SessionFacts } from "../agents/session.ts";
 * declare const session: SessionFacts;
 * receiveSession(shareSession("claude", session)).tokens; // as session.tokens
 * ```
 */
export function receiveSession(shared: SharedSession): SessionFacts {
  const session: SessionFacts = { ...shared.session };
  if (shared.usageHistory) session.usageHistory = unpackMinutes(shared.usageHistory);
  if (shared.recentUsage) session.recentUsage = unpackMinutes(shared.recentUsage);
  return session;
}

/**
 * Usage minutes as numbers, models by index (see {@linkcode unpackMinutes}).
 *
 * @example
 * ```ts
 * const packed = packMinutes([{ at: 60_000, model: "m", requests: 1, tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0 } }]);
 * packed.numbers.length; // 8
 * ```
 */
export function packMinutes(minutes: readonly UsageMinute[]): PackedMinutes {
  const models: (string | null)[] = [];
  const numbers = new Float64Array(minutes.length * MINUTE_NUMBERS);
  minutes.forEach((m, i) => {
    let model = models.indexOf(m.model);
    if (model === -1) model = models.push(m.model) - 1;
    const t = m.tokens;
    numbers.set(
      [m.at, model, t.input, t.output, t.cacheRead, t.cacheWrite, t.reasoning, m.requests],
      i * MINUTE_NUMBERS,
    );
  });
  return { models, numbers };
}

/**
 * The usage minutes {@linkcode packMinutes} packed.
 *
 * @example
 * ```ts
 * unpackMinutes(packMinutes([])); // []
 * ```
 */
export function unpackMinutes(packed: PackedMinutes): UsageMinute[] {
  const n = packed.numbers;
  const out: UsageMinute[] = [];
  for (let i = 0; i < n.length; i += MINUTE_NUMBERS) {
    out.push({
      at: n[i],
      model: packed.models[n[i + 1]],
      tokens: {
        input: n[i + 2],
        output: n[i + 3],
        cacheRead: n[i + 4],
        cacheWrite: n[i + 5],
        reasoning: n[i + 6],
      },
      requests: n[i + 7],
    });
  }
  return out;
}

/** {@linkcode SumOptions} as a worker is sent them: the calendar by its zone (null: the system's). */
export type SharedSum = Omit<SumOptions, "calendar"> & { zone: string | null; weekStart: Weekday };

/**
 * What a report's rows are summed by, for another thread (see {@linkcode receiveSum}).
 *
 * @example
 * ```ts
 * import { Calendar } from "../agents/history/calendar.ts";
 * import { bundledTable } from "../agents/pricing/table.ts";
 * const opts = { kind: "daily" as const, calendar: Calendar.local(), prices: bundledTable(), since: 0, until: null };
 * shareSum(opts).zone; // null: the other thread cuts days in the system's zone too
 * ```
 */
export function shareSum(opts: SumOptions): SharedSum {
  const { calendar, ...rest } = opts;
  return { ...rest, zone: calendar.asked, weekStart: calendar.weekStart };
}

/**
 * The {@linkcode SumOptions} another thread shared, its calendar made again.
 *
 * @example
 * ```ts
 * import { Calendar } from "../agents/history/calendar.ts";
 * import { bundledTable } from "../agents/pricing/table.ts";
 * const opts = { kind: "daily" as const, calendar: new Calendar("Europe/Berlin"), prices: bundledTable(), since: 0, until: null };
 * receiveSum(shareSum(opts)).calendar.zone; // "Europe/Berlin"
 * ```
 */
export function receiveSum(shared: SharedSum): SumOptions {
  const { zone, weekStart, ...rest } = shared;
  return { ...rest, calendar: zone === null ? Calendar.local(weekStart) : new Calendar(zone, weekStart) };
}
