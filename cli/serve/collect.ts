/**
 * `serve`'s collection: the live view's collection worker (`cli/watch/collect.ts`) ticked on an
 * interval, under a watchdog. The HTTP side never waits for a tick, so a collection that hangs (a
 * pathological `--match` pattern, a store on a hung file system) leaves `/healthz` answering — stale —
 * and SIGTERM working. A tick that runs past its timeout has its worker terminated and a new one
 * started; each such restart doubles the timeout (up to ten minutes) so a first tick that is merely
 * slow (a large transcript read for the first time) gets to finish, and a good tick resets it.
 *
 * @module
 */

import type { CollectorSettings } from "../../agents/collect/collector.ts";
import type { Snapshot } from "../../agents/types.ts";
import { CollectClient } from "../watch/collect.ts";

/** The longest a tick's timeout grows to after restarts. */
const MAX_TIMEOUT_MS = 10 * 60_000;

/** Where the collection reports. */
export interface CollectionEvents {
  /** A new snapshot and how long its tick took (ms). */
  onSnapshot(snapshot: Snapshot, tookMs: number): void;
  /** A tick failed, or hung and its worker was restarted. */
  onFailure(message: string): void;
}

/**
 * Collection every `intervalMs` in a worker, restarted when a tick hangs.
 *
 * @example
 * ```ts
 * import type { CollectorSettings } from "../../agents/collect/collector.ts";
 *
 * declare const settings: CollectorSettings;
 * const collection = new WatchedCollection(settings, { intervalMs: 5000, timeoutMs: 30_000 }, {
 *   onSnapshot: (snapshot, ms) => console.log(snapshot.agents.length, ms),
 *   onFailure: (message) => console.error(message),
 * });
 * await collection.first; // rejects when the first tick fails
 * collection.stop();
 * ```
 */
export class WatchedCollection {
  /** Resolves at the first snapshot; rejects when a tick fails before any snapshot. */
  readonly first: Promise<void>;
  #settings: CollectorSettings;
  #intervalMs: number;
  #baseTimeoutMs: number;
  #timeoutMs: number;
  #events: CollectionEvents;
  #client: CollectClient;
  #next: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setInterval>;
  #restarts = 0;
  #stopped = false;
  #snapshots = 0;
  #settle!: { resolve: () => void; reject: (e: Error) => void };

  constructor(
    settings: CollectorSettings,
    opts: { intervalMs: number; timeoutMs: number },
    events: CollectionEvents,
  ) {
    this.#settings = settings;
    this.#intervalMs = opts.intervalMs;
    this.#baseTimeoutMs = this.#timeoutMs = opts.timeoutMs;
    this.#events = events;
    this.first = new Promise((resolve, reject) => this.#settle = { resolve, reject });
    this.#client = this.#launch();
    this.#watchdog = setInterval(() => this.#check(), Math.min(1000, opts.timeoutMs / 4));
  }

  /** Workers restarted because a tick hung. */
  get restarts(): number {
    return this.#restarts;
  }

  /** How long the tick in flight has run (ms); 0 between ticks. */
  get busyMs(): number {
    return this.#client.busyMs;
  }

  /** Stops ticking and ends the worker. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#next);
    clearInterval(this.#watchdog);
    this.#client.close();
  }

  #launch(): CollectClient {
    const client = CollectClient.launch(this.#settings, {
      onSnapshot: (snapshot) => {
        if (client !== this.#client) return;
        this.#timeoutMs = this.#baseTimeoutMs;
        this.#snapshots++;
        this.#events.onSnapshot(snapshot, client.tickMs);
        this.#settle.resolve();
        this.#schedule();
      },
      onError: (error) => {
        if (client !== this.#client) return;
        if (this.#snapshots === 0) return this.#settle.reject(error);
        this.#events.onFailure(error.message);
        this.#schedule();
      },
    });
    return client;
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#next);
    this.#next = setTimeout(() => this.#client.request(), this.#intervalMs);
  }

  /** Restarts the worker when its tick has run past the timeout. */
  #check(): void {
    if (this.#stopped || this.#client.busyMs <= this.#timeoutMs) return;
    const seconds = Math.round(this.#client.busyMs / 1000);
    this.#client.close();
    this.#restarts++;
    this.#timeoutMs = Math.min(this.#timeoutMs * 2, MAX_TIMEOUT_MS);
    this.#events.onFailure(`a collection hung for ${seconds}s; its worker was restarted`);
    this.#client = this.#launch();
  }
}
