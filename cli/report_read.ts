/**
 * The history read of `agtop report`, on every core: this thread lists the sessions, and it and Web
 * Workers ({@linkcode HISTORY_WORKERS} readers at most, one per core) each read the next unread session
 * of that one list until none is left (so they finish together, however the sessions' sizes fall), and
 * their findings are joined: for a usage report, the rows each summed of its own sessions; else the
 * sessions themselves. Where there is one core the read stays in this thread.
 *
 * @module
 */

import { type History, type HistoryOptions, HistoryReader, readHistory } from "../agents/history/collect.ts";
import type { HistoryReply, HistoryRequest, SharedLink } from "./report_worker.ts";
import { receiveSession, SharedCounter, type SharedSum, shareSum } from "./report_share.ts";
import { ReportSums, type SumOptions } from "../agents/history/report.ts";

/** Most readers (this thread and workers) a history read uses. */
export const HISTORY_WORKERS = 2;

/** What {@linkcode readHistoryInWorkers} reads, and what this thread does while the workers finish. */
export interface WorkersOptions extends HistoryOptions {
  /**
   * Work this thread does once its share is read, while the workers read their last sessions and send
   * them (the report's next steps that need no sessions, such as naming the time zone).
   */
  meanwhile?: () => void;
  /**
   * Sum the sessions into a report's rows on the thread that read them (a usage report): the threads
   * then hand over their sums, not their sessions.
   */
  sum?: SumOptions;
}

/** What {@linkcode readHistoryInWorkers} found: with `sum`, the sessions summed (`sessions` is empty). */
export interface ThreadsHistory extends History {
  sums?: ReportSums;
}

/**
 * Reads the history `opts` asks for with `workers` readers (one per core, at most
 * {@linkcode HISTORY_WORKERS}, by default): this thread and `workers - 1` Web Workers sharing one list
 * of sessions; what they find is what {@linkcode readHistory} finds alone. Progress is summed over them.
 *
 * @example
 * ```ts
 * import { VENDORS } from "../agents/vendors/mod.ts";
 *
 * const now = Date.now();
 * const history = await readHistoryInWorkers({ vendors: VENDORS, since: now - 7 * 86_400_000, now });
 * history.sessions.length;
 * ```
 */
export async function readHistoryInWorkers(
  opts: WorkersOptions,
  workers = Math.min(HISTORY_WORKERS, navigator.hardwareConcurrency || 1),
): Promise<ThreadsHistory> {
  if (workers <= 1) {
    const history = await readHistory(opts);
    const sums = opts.sum && summed(opts.sum, history);
    opts.meanwhile?.();
    return sums ? { ...history, sessions: [], sums } : history;
  }
  // The workers start first: their start-up overlaps this thread's loading and listing.
  const profiles = structuredClone(opts.profiles ?? {}) as Record<string, Record<string, string>[]>;
  const ids = opts.vendors.map((v) => v.id);
  const helpers = Array.from({ length: workers - 1 }, () => new Helper(ids, profiles, opts.tools ?? false));
  try {
    const reader = await HistoryReader.open(opts.vendors, opts.profiles, opts.tools);
    const { listed, notRead } = reader.list(opts.since);
    const counter = new SharedCounter();
    const links: SharedLink[] = listed.map(({ vendor, link }) => ({ agent: vendor.id, link }));
    const progress = opts.progress;
    const shared = opts.sum && shareSum(opts.sum);
    const replies = helpers.map((h) =>
      h.read(links, counter.buffer, opts.now, progress !== undefined, shared)
    );
    // Progress is all threads': they count into the shared counter, this thread tells it.
    const heard = progress && counter.counting((read, bytes) => progress(read, listed.length, bytes));
    const mine = reader.read(listed, opts.now, () => counter.next(), heard);
    const history: ThreadsHistory = { ...mine, notices: reader.notices(), notRead };
    // This thread sums its own sessions while the workers finish theirs.
    const sums = opts.sum && summed(opts.sum, history);
    if (sums) history.sessions = [];
    opts.meanwhile?.();
    const all = await Promise.all(replies);
    // The other threads may have read the last sessions after this thread's last word.
    progress?.(listed.length, listed.length, counter.totals().bytes);
    for (const reply of all) {
      if (sums && reply.sums) sums.merge(reply.sums);
      for (const shared of reply.sessions) {
        const vendor = opts.vendors.find((v) => v.id === shared.agent);
        if (vendor) history.sessions.push({ vendor, session: receiveSession(shared) });
      }
      history.unreadable.push(...reply.unreadable);
      for (const n of reply.notices) if (!history.notices.includes(n)) history.notices.push(n);
    }
    // In the order listed, as one thread reads them.
    const order = new Map(listed.map(({ link }, i) => [link.path, i]));
    history.sessions.sort((a, b) => order.get(a.session.path)! - order.get(b.session.path)!);
    if (sums) history.sums = sums;
    if (history.calls) {
      const byPath = new Map(history.sessions.map((h) => [h.session.path, h]));
      for (const reply of all) {
        for (const { path, calls } of reply.calls?.sessions ?? []) {
          const h = byPath.get(path);
          if (h) history.calls.sessions.push({ history: h, calls });
        }
        history.calls.unreadable.push(...reply.calls?.unreadable ?? []);
      }
      history.calls.sessions.sort((a, b) =>
        order.get(a.history.session.path)! - order.get(b.history.session.path)!
      );
    }
    return history;
  } finally {
    for (const h of helpers) h.stop();
  }
}

/** One helper thread of a history read: a Web Worker running `report_worker.ts`. */
class Helper {
  #worker: Worker;
  #failed: Error | null = null;
  #done: ((reply: Extract<HistoryReply, { type: "done" }>) => void) | null = null;

  /** Starts the worker and has it open readers for `vendors` (ids, with their tool-call readers) at once. */
  constructor(vendors: string[], profiles: Record<string, Record<string, string>[]>, tools: boolean) {
    this.#worker = new Worker(new URL("./report_worker.ts", import.meta.url).href, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent<HistoryReply>) => {
      const reply = e.data;
      if (reply.type === "error") this.#fail(new Error(reply.message));
      else this.#done?.(reply);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(e.error instanceof Error ? e.error : new Error(e.message));
    };
    this.#post({ type: "open", vendors, profiles, tools });
  }

  /**
   * Reads listed sessions beside this thread (indices from the shared `counter`, into which it counts what
   * it read when `counts`), summing them by `sum` when given; rejects when the worker fails.
   */
  read(
    links: SharedLink[],
    counter: SharedArrayBuffer,
    now: number,
    counts: boolean,
    sum?: SharedSum,
  ): Promise<Extract<HistoryReply, { type: "done" }>> {
    return new Promise((resolve, reject) => {
      if (this.#failed) return reject(this.#failed);
      this.#done = resolve;
      this.#fail = (error) => reject(error);
      this.#post({ type: "read", links, counter, now, counts, ...(sum ? { sum } : {}) });
    });
  }

  /** Ends the worker (it is done, or the read failed). */
  stop(): void {
    this.#worker.terminate();
  }

  #fail = (error: Error): void => {
    this.#failed ??= error;
  };

  #post(req: HistoryRequest): void {
    this.#worker.postMessage(req);
  }
}

/** The report sums of the sessions `history` read. */
function summed(opts: SumOptions, history: History): ReportSums {
  const sums = new ReportSums(opts);
  sums.add(history.sessions);
  return sums;
}
