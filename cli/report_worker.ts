/**
 * A helper thread of a history read for `agtop report`, run in a Web Worker so the sessions are read on
 * every core: it opens its own readers for the agents asked while the main thread lists the sessions,
 * then reads listed sessions, taking the index of the next one to read from a counter the threads share,
 * and answers with what it found, the vendors named by id. See {@linkcode readHistoryInWorkers}.
 *
 * `deno compile` must include this file: `--include cli/report_worker.ts`.
 *
 * @module
 */

import { HistoryReader } from "../agents/history/collect.ts";
import { VENDORS } from "../agents/vendors/mod.ts";
import type { SessionLink, ToolCallRecord, Vendor } from "../agents/vendor.ts";
import {
  receiveSum,
  SharedCounter,
  type SharedSession,
  type SharedSum,
  shareSession,
} from "./report_share.ts";
import type { Unreadable } from "../agents/history/types.ts";
import { ReportSums, type ReportSumsData } from "../agents/history/report.ts";

/** A session's tool calls as a worker sends them: the session by its path. */
export interface SharedCalls {
  path: string;
  calls: ToolCallRecord[];
}

/** A listed session as the threads share it: its agent by id. */
export interface SharedLink {
  agent: string;
  link: SessionLink;
}

/**
 * What a history worker is asked: first to open readers for these vendors (and profiles), then to read
 * the listed sessions whose index it takes from `counter` (the memory of a {@linkcode SharedCounter}),
 * counting what it read into it when `counts` (a progress line is shown); with `sum`, to sum them into a
 * report's rows instead of sending them.
 */
export type HistoryRequest =
  | { type: "open"; vendors: string[]; profiles: Record<string, Record<string, string>[]>; tools: boolean }
  | {
    type: "read";
    links: SharedLink[];
    counter: SharedArrayBuffer;
    now: number;
    counts: boolean;
    sum?: SharedSum;
  };

/** A worker's reply: what it read (or why it failed); its progress goes to the shared counter. */
export type HistoryReply =
  | {
    type: "done";
    /** The sessions read; none when they were summed. */
    sessions: SharedSession[];
    /** The sessions' report sums, when asked to sum them. */
    sums?: ReportSumsData;
    unreadable: Unreadable[];
    notices: string[];
    /** The sessions' tool calls, by session path, when the worker was opened for them. */
    calls?: { sessions: SharedCalls[]; unreadable: Unreadable[] };
  }
  | { type: "error"; message: string };

/** The worker's global scope, typed for what this file uses. */
interface Scope {
  onmessage: ((e: MessageEvent<HistoryRequest>) => void | Promise<void>) | null;
  postMessage(reply: HistoryReply): void;
  close(): void;
}

const scope = globalThis as unknown as Scope;
let opened: Promise<HistoryReader> | null = null;

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    if (req.type === "open") {
      const vendors = VENDORS.filter((v) => req.vendors.includes(v.id));
      opened = HistoryReader.open(vendors, req.profiles, req.tools);
      return void await opened;
    }
    const reader = await opened!;
    const byId = new Map<string, Vendor>(VENDORS.map((v) => [v.id, v]));
    // The same registry on both sides: every id sent is known.
    const listed = req.links.map(({ agent, link }) => ({ vendor: byId.get(agent)!, link }));
    const counter = new SharedCounter(req.counter);
    const { sessions, unreadable, calls } = reader.read(
      listed,
      req.now,
      () => counter.next(),
      req.counts ? counter.counting() : undefined,
    );
    let sums: ReportSumsData | undefined;
    if (req.sum) {
      const sum = new ReportSums(receiveSum(req.sum));
      sum.add(sessions);
      sums = sum.data();
    }
    scope.postMessage({
      type: "done",
      sessions: sums ? [] : sessions.map((h) => shareSession(h.vendor.id, h.session)),
      ...(sums ? { sums } : {}),
      unreadable,
      notices: reader.notices(),
      ...(calls
        ? {
          calls: {
            sessions: calls.sessions.map((c) => ({ path: c.history.session.path, calls: c.calls })),
            unreadable: calls.unreadable,
          },
        }
        : {}),
    });
  } catch (error) {
    scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
  if (req.type === "read") scope.close();
};
