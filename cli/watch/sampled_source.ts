/**
 * The live view's process source: early ticks (a transcript changed) re-read the process list, so
 * CPU% and exits stay right, but take the costlier per-process facts (cwd and environment, IO, files
 * open for writing, terminal, listening ports) from the last interval tick. Processes are sampled in
 * full at the interval only, and an early tick costs about half of a full one.
 *
 * @module
 */

import type {
  ListeningPort,
  ProcessDetails,
  ProcessInfo,
  ProcessSource,
  SignalResult,
  SystemFacts,
} from "../../platform/types.ts";

/**
 * A {@linkcode ProcessSource} that remembers the per-process facts of a full tick and hands them out
 * again during early ticks ({@linkcode SampledSource.begin} with `reuse`); a process not seen in the
 * full tick is read as usual.
 *
 * @example
 * ```ts
 * import { processSource } from "../../platform/mod.ts";
 * import type { Collector } from "../../agents/collect/collector.ts";
 *
 * const source = new SampledSource(processSource());
 * declare const collector: Collector; // built on source
 * source.begin(false); // interval tick: everything read fresh
 * await collector.tick();
 * source.begin(true); // early tick: only the process list is read again
 * await collector.tick();
 * ```
 */
export class SampledSource implements ProcessSource {
  readonly listeningPorts?: (pids: readonly number[]) => Map<number, ListeningPort[]>;
  readonly terminal?: (pid: number) => string | null;
  #inner: ProcessSource;
  #reuse = false;
  #details = new Map<string, ProcessDetails>();
  #writing = new Map<string, string[]>();
  #terminals = new Map<number, string | null>();
  /** Ports of the pids asked for in the last full tick (an empty list: asked, listens on nothing). */
  #ports = new Map<number, ListeningPort[]>();

  constructor(inner: ProcessSource) {
    this.#inner = inner;
    const ports = inner.listeningPorts;
    if (ports) this.listeningPorts = (pids) => this.#listeningPorts(pids, ports.bind(inner));
    const terminal = inner.terminal;
    if (terminal) {
      this.terminal = (pid) => this.#remember(this.#terminals, pid, () => terminal.call(inner, pid));
    }
  }

  /** Starts a tick: `reuse` false reads everything fresh (and forgets what was saved), true reuses it. */
  begin(reuse: boolean): void {
    this.#reuse = reuse;
    if (reuse) return;
    this.#details.clear();
    this.#writing.clear();
    this.#terminals.clear();
    this.#ports.clear();
  }

  /** Every process, always read fresh. */
  list(): ProcessInfo[] {
    return this.#inner.list();
  }

  /** Ends a process through the inner source. */
  terminate(pid: number, same?: () => boolean): SignalResult {
    return this.#inner.terminate(pid, same);
  }

  /** Machine facts, always read fresh. */
  system(): SystemFacts {
    return this.#inner.system();
  }

  /** The process's details, from the last full tick during an early one. */
  details(pid: number, envKeys: readonly string[]): ProcessDetails {
    return this.#remember(
      this.#details,
      `${pid}\0${envKeys.join(",")}`,
      () => this.#inner.details(pid, envKeys),
    );
  }

  /** Files open for writing, from the last full tick during an early one. */
  writingFiles(pid: number, limit?: number): string[] {
    return this.#remember(this.#writing, `${pid}\0${limit}`, () => this.#inner.writingFiles(pid, limit));
  }

  #remember<K, V>(saved: Map<K, V>, key: K, read: () => V): V {
    if (this.#reuse && saved.has(key)) return saved.get(key)!;
    const value = read();
    saved.set(key, value);
    return value;
  }

  #listeningPorts(
    pids: readonly number[],
    read: (pids: readonly number[]) => Map<number, ListeningPort[]>,
  ): Map<number, ListeningPort[]> {
    if (this.#reuse && pids.every((p) => this.#ports.has(p))) {
      return new Map(pids.flatMap((p) => (this.#ports.get(p)!.length ? [[p, this.#ports.get(p)!]] : [])));
    }
    const found = read(pids);
    for (const p of pids) this.#ports.set(p, found.get(p) ?? []);
    return found;
  }
}
