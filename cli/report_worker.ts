/**
 * One share of a history read for `agtop report`, run in a Web Worker so the sessions are read on
 * every core: it reads every `of`-th session listed ({@linkcode readHistory} with a `shard`) and
 * answers with what it found, the vendors named by id. See {@linkcode readHistoryInWorkers}.
 *
 * `deno compile` must include this file: `--include cli/report_worker.ts`.
 *
 * @module
 */

import { readHistory } from "../agents/history/collect.ts";
import { VENDORS } from "../agents/vendors/mod.ts";
import { type SharedSession, shareSession } from "./report_share.ts";
import type { Unreadable } from "../agents/history/types.ts";

/** What a history worker is asked: its share of the sessions of these vendors, since a time. */
export interface HistoryRequest {
  vendors: string[];
  since: number;
  now: number;
  profiles: Record<string, Record<string, string>[]>;
  shard: { index: number; of: number };
}

/** A worker's replies: progress while it reads, then its share of the history (or why it failed). */
export type HistoryReply =
  | { type: "progress"; read: number; total: number; bytes: number }
  | {
    type: "done";
    sessions: SharedSession[];
    unreadable: Unreadable[];
    notices: string[];
    notRead: number;
  }
  | { type: "error"; message: string };

/** The worker's global scope, typed for what this file uses. */
interface Scope {
  onmessage: ((e: MessageEvent<HistoryRequest>) => void | Promise<void>) | null;
  postMessage(reply: HistoryReply): void;
  close(): void;
}

const scope = globalThis as unknown as Scope;

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    const history = await readHistory({
      vendors: VENDORS.filter((v) => req.vendors.includes(v.id)),
      since: req.since,
      now: req.now,
      profiles: req.profiles,
      shard: req.shard,
      progress: (read, total, bytes) => scope.postMessage({ type: "progress", read, total, bytes }),
    });
    scope.postMessage({
      type: "done",
      sessions: history.sessions.map((h) => shareSession(h.vendor.id, h.session)),
      unreadable: history.unreadable,
      notices: history.notices,
      notRead: history.notRead,
    });
  } catch (error) {
    scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
  scope.close();
};
