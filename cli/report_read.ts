/**
 * The history read of `agtop report`, on every core: the sessions listed are shared out to this thread
 * and Web Workers ({@linkcode HISTORY_WORKERS} readers at most, one per core), each reading its share
 * with the same readers, and their findings joined. Where there is one core the read stays in this thread.
 *
 * @module
 */

import { type History, type HistoryOptions, readHistory } from "../agents/history/collect.ts";
import type { HistoryReply, HistoryRequest } from "./report_worker.ts";
import { receiveSession } from "./report_share.ts";

/** Most readers (this thread and workers) a history read uses. */
export const HISTORY_WORKERS = 2;

/**
 * Reads the history `opts` asks for with `workers` readers (one per core, at most
 * {@linkcode HISTORY_WORKERS}, by default): this thread and `workers - 1` Web Workers, each a share of the
 * sessions; what they find is the same as {@linkcode readHistory} finds alone. Progress is summed over them.
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
  opts: HistoryOptions,
  workers = Math.min(HISTORY_WORKERS, navigator.hardwareConcurrency || 1),
): Promise<History> {
  if (workers <= 1) return readHistory(opts);
  const shares = Array.from({ length: workers }, () => ({ read: 0, total: 0, bytes: 0 }));
  const sum = (k: "read" | "total" | "bytes") => shares.reduce((n, s) => n + s[k], 0);
  const heard = (index: number) => (read: number, total: number, bytes: number) => {
    Object.assign(shares[index], { read, total, bytes });
    opts.progress?.(sum("read"), sum("total"), sum("bytes"));
  };
  // The workers start first (their start-up overlaps this thread's), then this thread reads share 0.
  const replies = shares.slice(1).map((_, i) =>
    readShare({
      vendors: opts.vendors.map((v) => v.id),
      since: opts.since,
      now: opts.now,
      profiles: structuredClone(opts.profiles ?? {}) as HistoryRequest["profiles"],
      shard: { index: i + 1, of: workers },
    }, heard(i + 1))
  );
  const own = await readHistory({ ...opts, shard: { index: 0, of: workers }, progress: heard(0) });
  const history: History = { ...own, sessions: [...own.sessions] };
  for (const reply of await Promise.all(replies)) {
    for (const shared of reply.sessions) {
      const vendor = opts.vendors.find((v) => v.id === shared.agent);
      if (vendor) history.sessions.push({ vendor, session: receiveSession(shared) });
    }
    history.unreadable.push(...reply.unreadable);
    for (const n of reply.notices) if (!history.notices.includes(n)) history.notices.push(n);
    history.notRead += reply.notRead;
  }
  history.sessions.sort((a, b) => (b.session.lastActivity ?? 0) - (a.session.lastActivity ?? 0));
  return history;
}

/** One worker's share of the history; it rejects when the worker fails. */
function readShare(
  req: HistoryRequest,
  progress: (read: number, total: number, bytes: number) => void,
): Promise<Extract<HistoryReply, { type: "done" }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./report_worker.ts", import.meta.url).href, { type: "module" });
    worker.onmessage = (e: MessageEvent<HistoryReply>) => {
      const reply = e.data;
      if (reply.type === "progress") return progress(reply.read, reply.total, reply.bytes);
      worker.terminate();
      if (reply.type === "done") resolve(reply);
      else reject(new Error(reply.message));
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      worker.terminate();
      reject(e.error instanceof Error ? e.error : new Error(e.message));
    };
    worker.postMessage(req);
  });
}
