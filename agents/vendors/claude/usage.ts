/**
 * The token ledger of one Claude Code session: deduplicates the streamed copies of one API response
 * across the session's transcript and its subagents', and keeps the requests over time (usage blocks,
 * usage per minute).
 *
 * @module
 */

import type { TokenBuckets, UsageMinute } from "../../session.ts";
import {
  addTokens,
  addUsage,
  emptyTokens,
  modelTable,
  nextBlockStart,
  USAGE_BLOCK_MS,
  USAGE_SPAN_MS,
  type UsageKeep,
  WHOLE_USAGE,
} from "../../session.ts";

/**
 * Distinct responses (`message.id:requestId` keys) kept whole in the ledger: Claude Code writes the
 * copies of one response (a line per content block, a replay by a subagent) next to each other or close,
 * so a key that fell out of the newest this many is settled, and only its hash is kept.
 */
export const DEDUP_WINDOW = 256;

/** One deduplicated API response in the ledger. */
interface UsageEntry {
  source: string;
  /** Null once settled (its hashes stand for it), or for a line without one. */
  messageId: string | null;
  sidechain: boolean;
  model: string;
  usage: TokenBuckets;
  counted: boolean;
  /** When the response was first written (ms since epoch), when known. */
  at: number | null;
  /** Hashes of its key and its `message.id`, once settled (0 for a line without a `message.id`). */
  keyHash: number;
  messageHash: number;
}

/** The usage-block chain over a prefix of the time-ordered entries. */
interface BlockChain {
  /** The chain covers the entries before this time. */
  until: number;
  /** Start of the block of the last entry covered, or null. */
  start: number | null;
  /** Time of the last entry covered. */
  last: number;
}

/** The ledger's requests over time: the start of the newest usage block and the recent minutes. */
export interface UsageTimeline {
  /** Start of the 5-hour block the newest request falls in, or null without timed requests. */
  blockStart: number | null;
  /** Usage per minute and model of the last 5 hours before the newest request, oldest first. */
  minutes: UsageMinute[];
}

/**
 * Token totals of one Claude session across its transcript files (the session file and its
 * subagents'). Each API response is written as several lines with the same `message.id` and
 * `requestId`; the ledger keeps one copy per `message.id:requestId` (the one with the most output
 * tokens, the latest on a tie; `message.id` alone when `requestId` is missing) and drops sidechain
 * replays of a `message.id` that also has a main-thread copy.
 *
 * @example
 * ```ts
 * import { ClaudeTranscript } from "./transcript.ts";
 *
 * const ledger = new ClaudeUsage();
 * const main = new ClaudeTranscript({ ledger, source: "session" });
 * const sub = new ClaudeTranscript({ ledger, source: "agent-a1", subagent: true });
 * ledger.total; // whole session
 * ledger.source("agent-a1"); // one subagent
 * ```
 */
export class ClaudeUsage {
  /** The newest {@linkcode DEDUP_WINDOW} keys, oldest first. */
  #byKey = new Map<string, UsageEntry>();
  #byMessage = new Map<string, Set<string>>();
  /** Entries that left the window (and lines without a `message.id`): final unless their source is removed. */
  #settled: UsageEntry[] = [];
  /** Hashes of the settled keys: a later copy of one is a replay, not counted again. */
  #settledKeys = new HashSet();
  /** Hashes of the `message.id`s with a settled, counted main-thread copy. */
  #settledMain = new HashSet();
  /** Settled sidechain copies still counted, by `message.id`: a main copy seen later takes their place. */
  #settledSide = new Map<string, UsageEntry[]>();
  #bySource = new Map<string, TokenBuckets>();
  #byModel: Record<string, TokenBuckets> = modelTable();
  #total = emptyTokens();
  /** Entries with a time, oldest first (appends are the common case). */
  #timed: UsageEntry[] = [];
  /** True when an entry was appended out of time order since `#timed` was last sorted. */
  #unsorted = false;
  /** The block chain over the counted entries before `until`, kept while none of them changes. */
  #chain: BlockChain = { until: -Infinity, start: null, last: -Infinity };
  #version = 0;
  #timeline: { version: number; value: UsageTimeline } | null = null;

  /** Totals over every counted response. Do not modify. */
  get total(): TokenBuckets {
    return this.#total;
  }

  /** Totals per model id. Do not modify. */
  get byModel(): Readonly<Record<string, TokenBuckets>> {
    return this.#byModel;
  }

  /** Totals of the responses counted from one source (a transcript file). */
  source(source: string): TokenBuckets {
    return { ...(this.#bySource.get(source) ?? emptyTokens()) };
  }

  /** Whether a main-thread (non-sidechain) copy of this message was recorded: a sidechain copy is a replay. */
  hasMainCopy(messageId: string): boolean {
    if (this.#settledMain.has(hash53(messageId))) return true;
    const keys = this.#byMessage.get(messageId);
    if (!keys) return false;
    for (const k of keys) if (!this.#byKey.get(k)!.sidechain) return true;
    return false;
  }

  /**
   * The counted responses over time: where the newest 5-hour usage block starts and the usage per
   * minute of the 5 hours before the newest response. Recomputed only after the ledger changed.
   */
  timeline(): UsageTimeline {
    if (this.#timeline?.version !== this.#version) {
      const timed = this.#sorted();
      let newest = -Infinity;
      for (let i = timed.length - 1; i >= 0 && newest === -Infinity; i--) {
        if (timed[i].counted) newest = timed[i].at!;
      }
      // Entries long before the newest will not change: the chain over them is kept for the next time.
      const keep = newest - 2 * USAGE_BLOCK_MS;
      let { start, last } = this.#chain;
      for (let i = this.#timedIndex(this.#chain.until); i < timed.length; i++) {
        const e = timed[i];
        if (e.at! >= keep && this.#chain.until < keep) this.#chain = { until: keep, start, last };
        if (!e.counted) continue;
        start = nextBlockStart(start, last, e.at!);
        last = e.at!;
      }
      const minutes = this.#minutes(newest - USAGE_SPAN_MS);
      this.#timeline = { version: this.#version, value: { blockStart: start, minutes } };
    }
    const { blockStart, minutes } = this.#timeline.value;
    return { blockStart, minutes: minutes.map((m) => ({ ...m, tokens: { ...m.tokens } })) };
  }

  /** Usage per minute and model of every counted response with a time, oldest first. */
  history(): UsageMinute[] {
    this.#sorted();
    return this.#minutes(-Infinity, WHOLE_USAGE);
  }

  /** The timed entries, sorted by time (stable: equal times keep the order they came in). */
  #sorted(): UsageEntry[] {
    if (this.#unsorted) {
      this.#timed.sort((a, b) => a.at! - b.at!);
      this.#unsorted = false;
    }
    return this.#timed;
  }

  /** The counted entries from `from` on, per minute and model (the timed entries sorted). */
  #minutes(from: number, keep?: UsageKeep): UsageMinute[] {
    const minutes: UsageMinute[] = [];
    for (let i = this.#timedIndex(from); i < this.#timed.length; i++) {
      const e = this.#timed[i];
      if (e.counted) addUsage(minutes, e.at!, e.model, e.usage, keep);
    }
    return minutes;
  }

  /** Records one line's copy of a response's usage, written at `at` (ms since epoch) when known. */
  record(
    source: string,
    messageId: string | null,
    requestId: string | null,
    sidechain: boolean,
    model: string,
    usage: TokenBuckets,
    at: number | null = null,
  ): void {
    if (messageId === null) {
      // Nothing to deduplicate against: counted at once, and settled.
      const entry = this.#entry(source, null, sidechain, model, usage, at);
      this.#settled.push(entry);
      return this.#apply(entry, 1);
    }
    const key = requestId ? `${messageId}:${requestId}` : messageId;
    const prev = this.#byKey.get(key);
    if (!prev && this.#settledKeys.size > 0 && this.#settledKeys.has(hash53(key))) return;
    if (prev && usage.output < prev.usage.output) return;
    // Another copy of the one kept (most responses are written as a line per content block) changes nothing.
    if (prev && sameCopy(prev, source, messageId, sidechain, model, usage, at)) return;
    if (prev?.counted) this.#apply(prev, -1);
    // One object per key, so the time-ordered list keeps pointing at it; the response's first line
    // is closest to when it was requested, so its time stays.
    let entry = prev;
    if (entry) {
      Object.assign(entry, { source, messageId, sidechain, model, usage });
      this.#timeEntry(entry, at);
    } else this.#byKey.set(key, entry = this.#entry(source, messageId, sidechain, model, usage, at));
    let keys = this.#byMessage.get(messageId);
    if (!keys) this.#byMessage.set(messageId, keys = new Set());
    keys.add(key);
    this.#settle(messageId, keys);
    if (this.#byKey.size > DEDUP_WINDOW) this.#settleOldest();
  }

  /** A new entry, not counted yet, in the time-ordered list when it has a time. */
  #entry(
    source: string,
    messageId: string | null,
    sidechain: boolean,
    model: string,
    usage: TokenBuckets,
    at: number | null,
  ): UsageEntry {
    const entry = {
      source,
      messageId,
      sidechain,
      model,
      usage,
      counted: false,
      at: null,
      keyHash: 0,
      messageHash: 0,
    };
    this.#timeEntry(entry, at);
    return entry;
  }

  /** Gives an entry its time (the first one seen: the response's first line is closest to the request). */
  #timeEntry(entry: UsageEntry, at: number | null): void {
    if (entry.at !== null || at === null) return;
    entry.at = at;
    // Appended, sorted when next read: a sorted insert per line is quadratic in falling times.
    if (this.#timed.length > 0 && this.#timed[this.#timed.length - 1].at! > at) this.#unsorted = true;
    this.#timed.push(entry);
  }

  /** The oldest key of the window leaves it: its entry is final, its key remembered by hash. */
  #settleOldest(): void {
    const [key, entry] = this.#byKey.entries().next().value!;
    const messageId = entry.messageId!;
    this.#byKey.delete(key);
    const keys = this.#byMessage.get(messageId)!;
    keys.delete(key);
    if (keys.size === 0) this.#byMessage.delete(messageId);
    entry.keyHash = hash53(key);
    entry.messageHash = hash53(messageId);
    this.#settledKeys.add(entry.keyHash);
    if (entry.counted && !entry.sidechain) this.#settledMain.add(entry.messageHash);
    if (entry.counted && entry.sidechain) {
      const side = this.#settledSide.get(messageId);
      if (side) side.push(entry);
      else this.#settledSide.set(messageId, [entry]);
    } else entry.messageId = null;
    this.#settled.push(entry);
  }

  /**
   * Forgets everything counted from `source` (its file is being read again from the start). A settled
   * sidechain copy that a main copy of `source` had replaced is not counted again: the session's main
   * file is never removed alone (its reset starts a new ledger), only a subagent's.
   */
  removeSource(source: string): void {
    const touched = new Map<string, Set<string>>();
    for (const [key, entry] of this.#byKey) {
      if (entry.source !== source) continue;
      if (entry.counted) this.#apply(entry, -1);
      this.#byKey.delete(key);
      const keys = entry.messageId === null ? undefined : this.#byMessage.get(entry.messageId);
      if (keys) {
        keys.delete(key);
        touched.set(entry.messageId!, keys);
      }
    }
    this.#removeSettled(source);
    for (const [messageId, keys] of touched) this.#settle(messageId, keys);
    // A settled main copy of the source may have kept a window copy from counting.
    for (const [messageId, keys] of this.#byMessage) this.#settle(messageId, keys);
    this.#bySource.delete(source);
    this.#timed = this.#timed.filter((e) => e.source !== source);
    this.#touch(-Infinity);
  }

  /** Forgets the settled entries of `source`: the hashes are made again from the others. */
  #removeSettled(source: string): void {
    const kept: UsageEntry[] = [];
    for (const e of this.#settled) {
      if (e.source !== source) kept.push(e);
      else if (e.counted) this.#apply(e, -1);
    }
    this.#settled = kept;
    this.#settledKeys = new HashSet();
    this.#settledMain = new HashSet();
    this.#settledSide = new Map();
    for (const e of kept) {
      if (e.keyHash === 0) continue;
      this.#settledKeys.add(e.keyHash);
      if (e.counted && !e.sidechain) this.#settledMain.add(e.messageHash);
      if (e.counted && e.sidechain && e.messageId !== null) {
        this.#settledSide.set(e.messageId, [...(this.#settledSide.get(e.messageId) ?? []), e]);
      }
    }
  }

  /** An entry at `at` changed: the kept block chain is void if it covers that time. */
  #touch(at: number | null): void {
    if (at !== null && at < this.#chain.until) {
      this.#chain = { until: -Infinity, start: null, last: -Infinity };
    }
  }

  /** Index of the first timed entry at or after `at` (binary search). */
  #timedIndex(at: number): number {
    let lo = 0, hi = this.#timed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#timed[mid].at! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Counts the copies of one message id in the window: the main-thread ones, or the sidechain ones when
   * there is no main copy (settled or not). A main copy uncounts the settled sidechain copies.
   */
  #settle(messageId: string, keys: Set<string>): void {
    // No arrays: this runs for every new response.
    let windowMain = false;
    for (const k of keys) if (!this.#byKey.get(k)!.sidechain) windowMain = true;
    const hasMain = windowMain || (this.#settledMain.size > 0 && this.#settledMain.has(hash53(messageId)));
    for (const k of keys) {
      const e = this.#byKey.get(k)!;
      const count = hasMain ? !e.sidechain : true;
      if (count !== e.counted) this.#apply(e, count ? 1 : -1);
    }
    const side = windowMain ? this.#settledSide.get(messageId) : undefined;
    if (side) {
      for (const e of side) {
        this.#apply(e, -1);
        e.messageId = null;
      }
      this.#settledSide.delete(messageId);
    }
  }

  #apply(e: UsageEntry, sign: 1 | -1): void {
    e.counted = sign === 1;
    this.#version++;
    this.#touch(e.at);
    const u = sign === 1 ? e.usage : negate(e.usage);
    addTokens(this.#total, u);
    addTokens(this.#byModel[e.model] ??= emptyTokens(), u);
    let src = this.#bySource.get(e.source);
    if (!src) this.#bySource.set(e.source, src = emptyTokens());
    addTokens(src, u);
  }
}

/** Whether a copy would leave `entry` as it is: same file, message, thread, model and tokens, its time known. */
function sameCopy(
  entry: UsageEntry,
  source: string,
  messageId: string,
  sidechain: boolean,
  model: string,
  usage: TokenBuckets,
  at: number | null,
): boolean {
  const u = entry.usage;
  return entry.source === source && entry.messageId === messageId && entry.sidechain === sidechain &&
    entry.model === model && (entry.at !== null || at === null) && u.input === usage.input &&
    u.output === usage.output && u.cacheRead === usage.cacheRead && u.cacheWrite === usage.cacheWrite &&
    u.reasoning === usage.reasoning;
}

function negate(t: TokenBuckets): TokenBuckets {
  return {
    input: -t.input,
    output: -t.output,
    cacheRead: -t.cacheRead,
    cacheWrite: -t.cacheWrite,
    reasoning: 0,
  };
}

/**
 * A set of 53-bit string hashes in one open-addressed table: about 16 bytes a member, where a `Set` of
 * the strings costs several times that.
 */
class HashSet {
  #table = new Float64Array(16);
  #size = 0;

  /** How many hashes are in the set. */
  get size(): number {
    return this.#size;
  }

  has(h: number): boolean {
    const mask = this.#table.length - 1;
    for (let i = h & mask; this.#table[i] !== 0; i = (i + 1) & mask) if (this.#table[i] === h) return true;
    return false;
  }

  add(h: number): void {
    if (this.has(h)) return;
    if ((this.#size + 1) * 2 > this.#table.length) this.#grow();
    const mask = this.#table.length - 1;
    let i = h & mask;
    while (this.#table[i] !== 0) i = (i + 1) & mask;
    this.#table[i] = h;
    this.#size++;
  }

  #grow(): void {
    const old = this.#table;
    this.#table = new Float64Array(old.length * 2);
    this.#size = 0;
    for (const h of old) if (h !== 0) this.add(h);
  }
}

/** A 53-bit hash of a string (two FNV-1a passes), never 0. */
function hash53(s: string): number {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return ((a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff)) || 1;
}
