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
import { SharedCounter, type SharedSession, shareSession } from "./report_share.ts";
import type { Unreadable } from "../agents/history/types.ts";

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
 * counting what it read into it when `counts` (a progress line is shown).
 */
export type HistoryRequest =
  | { type: "open"; vendors: string[]; profiles: Record<string, Record<string, string>[]>; tools: boolean }
  | { type: "read"; links: SharedLink[]; counter: SharedArrayBuffer; now: number; counts: boolean };

/** A worker's reply: what it read (or why it failed); its progress goes to the shared counter. */
export type HistoryReply =
  | {
    type: "done";
    sessions: SharedSession[];
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
    scope.postMessage({
      type: "done",
      sessions: sessions.map((h) => shareSession(h.vendor.id, h.session)),
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
