/**
 * The live view's handle on its collection worker (`collect_worker.ts`): start it, ask for ticks,
 * receive snapshots and transcript changes, have processes ended. At most one tick is in flight;
 * asking again meanwhile queues one more.
 *
 * @module
 */

import type { CollectorSettings } from "../../agents/collect/collector.ts";
import type { SignalReport, SignalTarget } from "../../agents/signals.ts";
import type { Snapshot } from "../../agents/types.ts";
import { ProcessAccessError } from "../../platform/types.ts";
import type { CollectReply, CollectRequest } from "./collect_worker.ts";

/**
 * The worker's error on this side: a {@linkcode ProcessAccessError} stays one (its message is for
 * users); anything else carries the worker's stack.
 */
function rebuildError(reply: Extract<CollectReply, { type: "error" }>): Error {
  if (reply.name === ProcessAccessError.name) return new ProcessAccessError(reply.message);
  const e = new Error(reply.message);
  e.name = reply.name;
  if (reply.stack) e.stack = reply.stack;
  return e;
}

/** Where snapshots and failures go. */
export interface CollectHandlers {
  onSnapshot(snapshot: Snapshot): void;
  /** The worker failed (it could not load, or a tick threw). */
  onError(error: Error): void;
  /** A linked transcript changed since the last tick (the worker watches their directories). */
  onChange?(): void;
}

/**
 * A collector running in a worker. {@linkcode CollectClient.start} waits for the first snapshot, so
 * module loading and a missing permission show before the caller takes over the screen.
 *
 * @example
 * ```ts
 * import type { CollectorSettings } from "../../agents/collect/collector.ts";
 * import type { Snapshot } from "../../agents/types.ts";
 *
 * declare const settings: CollectorSettings; // from collectorSettings
 * declare function draw(snapshot: Snapshot): void;
 * const [client, first] = await CollectClient.start(settings);
 * client.handlers = { onSnapshot: draw, onError: (e) => console.error(e.message) };
 * client.request(); // one more tick
 * const { pid, startedAt } = first.agents[0];
 * const reports = await client.signal([{ pid, startedAt }]);
 * client.close();
 * ```
 */
export class CollectClient {
  /** Receivers of the replies after the first. */
  handlers: CollectHandlers;
  /** Sessions active this recently whose process is gone are collected too; null: live agents only. */
  recentMs: number | null = null;
  #worker: Worker;
  #busy = true;
  /** A tick asked for while one is in flight: null when none, else whether every ask was early. */
  #queued: { early: boolean } | null = null;
  #askedAt = 0;
  #tickMs = 0;
  #signals = new Map<number, (reports: SignalReport[]) => void>();
  #nextSignal = 1;

  private constructor(settings: CollectorSettings, handlers: CollectHandlers) {
    this.handlers = handlers;
    this.#worker = new Worker(new URL("./collect_worker.ts", import.meta.url).href, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent<CollectReply>) => {
      const reply = e.data;
      if (reply.type === "changed") return this.handlers.onChange?.();
      if (reply.type === "signalled") {
        this.#signals.get(reply.id)?.(reply.reports);
        this.#signals.delete(reply.id);
        return;
      }
      this.#busy = false;
      if (reply.type === "error") return this.handlers.onError(rebuildError(reply));
      this.#tickMs = performance.now() - this.#askedAt;
      this.handlers.onSnapshot(reply.snapshot);
      if (this.#queued) this.request(this.#queued.early);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.handlers.onError(e.error instanceof Error ? e.error : new Error(e.message));
    };
    this.#askedAt = performance.now();
    this.#post({ type: "start", settings });
  }

  /** How long the last tick took, from request to snapshot (ms). */
  get tickMs(): number {
    return this.#tickMs;
  }

  /**
   * Starts the worker, its first tick in flight, and returns at once: replies go to `handlers`.
   *
   * @example
   * ```ts
   * import type { CollectorSettings } from "../../agents/collect/collector.ts";
   *
   * declare const settings: CollectorSettings;
   * const client = CollectClient.launch(settings, {
   *   onSnapshot: (s) => console.log(s.agents.length),
   *   onError: (e) => console.error(e.message),
   * });
   * client.busyMs; // how long the first tick has taken so far
   * ```
   */
  static launch(settings: CollectorSettings, handlers: CollectHandlers): CollectClient {
    return new CollectClient(settings, handlers);
  }

  /** How long the tick in flight has taken so far (ms); 0 when none is. */
  get busyMs(): number {
    return this.#busy ? performance.now() - this.#askedAt : 0;
  }

  /** Starts the worker and resolves with it and its first snapshot; rejects (worker stopped) on failure. */
  static start(settings: CollectorSettings): Promise<[CollectClient, Snapshot]> {
    return new Promise((resolve, reject) => {
      const client: CollectClient = new CollectClient(settings, {
        onSnapshot: (snapshot) => resolve([client, snapshot]),
        onError: (error) => {
          client.close();
          reject(error);
        },
      });
    });
  }

  /**
   * Asks for a tick now, or right after the one in flight. An `early` tick (between interval ticks)
   * re-reads the process list and the sessions but reuses the other per-process facts.
   */
  request(early = false): void {
    if (this.#busy) {
      this.#queued = { early: early && (this.#queued?.early ?? true) };
      return;
    }
    this.#queued = null;
    this.#busy = true;
    this.#askedAt = performance.now();
    this.#post({ type: "tick", recentMs: this.recentMs, early });
  }

  /**
   * Ends these processes (SIGTERM; Windows: terminate) in the worker, which reads the process list
   * again first and refuses a pid reused since the snapshot; resolves with one report per target.
   */
  signal(targets: SignalTarget[]): Promise<SignalReport[]> {
    const id = this.#nextSignal++;
    return new Promise((resolve) => {
      this.#signals.set(id, resolve);
      this.#post({ type: "signal", id, targets });
    });
  }

  /** Stops the worker. */
  close(): void {
    this.#worker.terminate();
  }

  #post(req: CollectRequest): void {
    this.#worker.postMessage(req);
  }
}
