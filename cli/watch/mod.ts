/**
 * `agtop watch`: the live, full-screen table. Collection runs in a worker; this thread reads keys,
 * keeps the {@linkcode ViewState} and draws frames. The terminal is restored on every way out: quit,
 * Ctrl-C, SIGTERM, SIGHUP, SIGINT, and an uncaught error (printed after restoring).
 *
 * Ticks come at the interval, and early when the worker reports that a linked transcript changed
 * (debounced, and spaced so that early ticks take at most about 5 % of a core); an early tick re-reads
 * the process list and the sessions, the other per-process facts are sampled at the interval. The two actions:
 * `k`/`K` end processes through the worker (SIGTERM via the FFI grant agtop already has, no
 * `--allow-run`); `t` runs `tmux`, which needs `--allow-run=tmux` (agtop's binaries do not have it:
 * the view then says so).
 *
 * @module
 */

import { jumpToTmuxPane } from "../../agents/tmux.ts";
import type { CollectorSettings } from "../../agents/collect/collector.ts";
import type { Snapshot } from "../../agents/types.ts";
import { loadStyle, type Style, wantColor } from "../../render/style.ts";
import { THEME_NAMES, type ThemeName } from "../../render/themes.ts";
import { Pseudonyms, redact } from "../../render/privacy.ts";
import { prepareWidths } from "../../render/text.ts";
import { hideAgents } from "../../render/view.ts";
import {
  JUMP_NEEDS_RUN,
  type JumpEffect,
  jumpNotice,
  type Notice,
  type SignalEffect,
  signalNotice,
} from "../../render/watch/actions.ts";
import { CollectClient } from "./collect.ts";
import { renderFrame } from "../../render/watch/frame.ts";
import { decodeKeys } from "../../render/watch/keys.ts";
import { Screen } from "../../render/watch/screen.ts";
import { applyKey, initialState, type ScreenSize, settle, type ViewState } from "../../render/watch/state.ts";
import { type Alert, snapshotAlerts } from "../../render/alerts.ts";
import { Trends } from "../../render/watch/trends.ts";
import {
  type Change,
  notificationText,
  Notifier,
  RESTORE_TITLE,
  SAVE_TITLE,
  titleText,
  windowTitle,
} from "../../render/watch/notify.ts";
import { intervalOption, MIN_INTERVAL } from "../args.ts";
import { DEFAULT_INTERVAL, RECENT_MS, type Settings } from "../settings.ts";

/**
 * What `agtop watch` shows and how often (`interval`: seconds between ticks, at least
 * {@linkcode MIN_INTERVAL}; `theme`: `c` cycles through the others), and what its worker collects with.
 */
export interface WatchOptions extends
  Pick<
    Settings,
    | "interval"
    | "filter"
    | "sort"
    | "reverse"
    | "noColor"
    | "all"
    | "theme"
    | "private"
    | "hidden"
    | "notify"
    | "alerts"
  > {
  /** Handed to the collection worker, which builds its collector from them as `ls` does. */
  collect: CollectorSettings;
}
/**
 * Least time between a tick and an early one (ms): under a steady stream of changes a change shows
 * within this (plus the debounce). Slow ticks space early ones further, to twenty times a tick, so
 * early ticks take at most about 5 % of a core.
 */
const EARLY_GAP_MS = 200;
const EARLY_GAP_TICKS = 20;
/** Changes within this long (ms) of the first make one notification. */
const GROUP_MS = 1000;

/** The message when stdin or stdout is not a terminal. */
export const NOT_A_TERMINAL = "agtop: watch needs a terminal (try 'agtop ls')";

/** Exit status for a signal: 128 + its number. */
const SIGNAL_EXIT: Partial<Record<Deno.Signal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

function writeAll(text: string): void {
  const data = new TextEncoder().encode(text);
  for (let off = 0; off < data.length;) off += Deno.stdout.writeSync(data.subarray(off));
}

function screenSize(): ScreenSize {
  try {
    const { columns, rows } = Deno.consoleSize();
    return { columns, rows };
  } catch {
    return { columns: 80, rows: 24 };
  }
}

/** How a session ended: an exit status, or an error to rethrow once the terminal is restored. */
type Outcome = { code: number } | { error: unknown };

/** One run of the live view, from entering the alternate screen to leaving it. */
class LiveView {
  #opts: WatchOptions;
  #style: Style;
  #screen = new Screen(writeAll);
  #size = screenSize();
  #state: ViewState;
  #snapshot: Snapshot;
  #collect: CollectClient;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #early: ReturnType<typeof setTimeout> | undefined;
  /** When the last tick was asked for, and the last full (interval) one. */
  #lastRequest = 0;
  #lastFull = 0;
  #finish!: (o: Outcome) => void;
  #done = new Promise<Outcome>((r) => (this.#finish = r));
  #cleanups: (() => void)[] = [];
  #decoder = new TextDecoder();
  /** Stable stand-in names for projects under `--private`, kept across ticks. */
  #names = new Pseudonyms();
  #notifier: Notifier;
  /** Changes waiting to be told together, and the timer that tells them. */
  #pending: Change[] = [];
  #group: ReturnType<typeof setTimeout> | undefined;
  /** Keys of the shown agents with an alert (marked on their row). */
  #alerts: Alert[] = [];
  #title = "";
  /** CPU, tokens and context of each shown agent over the last minutes (for the detail view). */
  #trends = new Trends();

  constructor(opts: WatchOptions, style: Style, collect: CollectClient, first: Snapshot) {
    this.#opts = opts;
    this.#style = style;
    this.#collect = collect;
    this.#snapshot = this.#view(first);
    this.#trends.observe(this.#snapshot);
    this.#state = settle(initialState(opts), first, this.#size);
    this.#notifier = new Notifier(opts.notify);
    this.#notifier.observe(this.#snapshot, this.#alerts);
  }

  /** Runs until quit, a signal or an error; the terminal is restored before this returns. */
  async run(): Promise<Outcome> {
    const onCrash = () => this.#restore();
    globalThis.addEventListener("error", onCrash);
    globalThis.addEventListener("unhandledrejection", onCrash);
    this.#cleanups.push(() => {
      globalThis.removeEventListener("error", onCrash);
      globalThis.removeEventListener("unhandledrejection", onCrash);
    });
    try {
      Deno.stdin.setRaw(true);
      this.#screen.enter();
      if (this.#opts.notify.mode !== "off") writeAll(SAVE_TITLE);
      this.#showTitle();
      this.#listen();
      this.#collect.handlers = {
        onSnapshot: this.#guard((s: Snapshot) => this.#onSnapshot(s)),
        onError: (error) => this.#finish({ error }),
        onChange: this.#guard(() => this.#onChange()),
      };
      this.#lastRequest = this.#lastFull = Date.now();
      this.#schedule();
      this.#draw();
      this.#readKeys().catch((error) => this.#finish({ error }));
    } catch (error) {
      this.#finish({ error });
    }
    const outcome = await this.#done;
    this.#restore();
    return outcome;
  }

  /** Wraps a callback so that an error in it ends the session (terminal restored, then rethrown). */
  #guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        fn(...args);
      } catch (error) {
        this.#finish({ error });
      }
    };
  }

  /** Signals and resize. Each listener is removed again on the way out. */
  #listen(): void {
    const on = (signal: Deno.Signal, fn: () => void) => {
      try {
        Deno.addSignalListener(signal, fn);
        this.#cleanups.push(() => Deno.removeSignalListener(signal, fn));
      } catch {
        // Not a signal this OS has (Windows: SIGWINCH, SIGHUP, SIGTERM).
      }
    };
    for (const [signal, code] of Object.entries(SIGNAL_EXIT) as [Deno.Signal, number][]) {
      on(signal, () => this.#finish({ code }));
    }
    on(
      "SIGWINCH",
      this.#guard(() => {
        this.#size = screenSize();
        this.#screen.invalidate();
        this.#draw();
      }),
    );
  }

  async #readKeys(): Promise<void> {
    const reader = Deno.stdin.readable.getReader();
    this.#cleanups.push(() => void reader.cancel().catch(() => {}));
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return this.#finish({ code: 0 });
      // A streaming decode keeps a UTF-8 character split across two reads whole.
      for (const key of decodeKeys(this.#decoder.decode(value, { stream: true }))) {
        const before = this.#state;
        const typing = before.editing !== null || before.confirm !== null;
        if (!typing && key.name === "char" && key.char === "c") {
          this.#nextTheme().catch((error) => this.#finish({ error }));
          continue;
        }
        const { state, effect } = applyKey(before, key, this.#snapshot, this.#size, this.#trends);
        this.#state = state;
        if (effect === "quit") return this.#finish({ code: 0 });
        if (effect === "redraw") this.#screen.invalidate();
        if (before.all !== state.all) this.#collect.recentMs = state.all ? RECENT_MS : null;
        if (effect === "refresh" || before.all !== state.all) this.#tick();
        if (before.paused !== state.paused) this.#schedule();
        if (typeof effect === "object") {
          const done = effect.kind === "signal" ? this.#signal(effect) : this.#jump(effect);
          done.catch((error) => this.#finish({ error }));
        }
      }
      this.#draw();
    }
  }

  /** Ends processes through the worker, reports what happened, and ticks to show it. */
  async #signal(effect: SignalEffect): Promise<void> {
    const reports = await this.#collect.signal(effect.targets);
    this.#notify(signalNotice(effect, reports));
    this.#tick();
  }

  /** Brings the agent's tmux pane to the front, when agtop may run tmux. */
  async #jump(effect: JumpEffect): Promise<void> {
    // Asked first: without the grant, Deno would stop and prompt on the terminal the view draws on.
    if (Deno.permissions.querySync({ name: "run", command: "tmux" }).state !== "granted") {
      return this.#notify({ text: JUMP_NEEDS_RUN, error: true });
    }
    const server = effect.socket ? { socketPath: effect.socket } : {};
    const result = await jumpToTmuxPane(effect.tty, server).catch((e) =>
      e instanceof Error ? e : new Error(String(e))
    );
    this.#notify(jumpNotice(effect, result));
  }

  /** Shows a notice on the last line (until the next key). */
  #notify(notice: Notice): void {
    this.#state = { ...this.#state, notice };
    this.#draw();
  }

  /** A linked transcript changed: tick early, unless paused or a tick is due soon anyway. */
  #onChange(): void {
    if (this.#state.paused || this.#early !== undefined) return;
    const gap = Math.max(EARLY_GAP_MS, EARLY_GAP_TICKS * this.#collect.tickMs);
    const at = Math.max(Date.now(), this.#lastRequest + gap);
    if (at >= this.#lastFull + this.#opts.interval * 1000) return; // the interval tick comes first
    this.#early = setTimeout(() => {
      this.#early = undefined;
      if (!this.#state.paused) this.#tick(true);
    }, at - Date.now());
  }

  /**
   * What the view shows of a collected snapshot: hidden agents left out, redacted when private; and
   * its alerts, from the real values (a redacted activity tail would look like a loop).
   */
  #view(raw: Snapshot): Snapshot {
    const shown = hideAgents(raw, this.#opts.hidden);
    const alerts = snapshotAlerts(shown, this.#opts.alerts);
    this.#alerts = this.#opts.private ? alerts.map((a) => ({ ...a, key: this.#names.key(a.key) })) : alerts;
    return this.#opts.private ? redact(shown, this.#names) : shown;
  }

  /** Tells the changes of a new snapshot, those within {@linkcode GROUP_MS} of each other together. */
  #tell(snapshot: Snapshot): void {
    this.#pending.push(...this.#notifier.observe(snapshot, this.#alerts));
    this.#showTitle();
    if (!this.#pending.length || this.#group !== undefined) return;
    this.#group = setTimeout(
      this.#guard(() => {
        this.#group = undefined;
        const where = { tmux: Boolean(Deno.env.get("TMUX")) };
        writeAll(notificationText(this.#pending.splice(0), this.#opts.notify.mode, where));
      }),
      GROUP_MS,
    );
  }

  /** Keeps the count of agents that wait in the window title (not when notifications are off). */
  #showTitle(): void {
    if (this.#opts.notify.mode === "off") return;
    const title = windowTitle(this.#snapshot);
    if (title !== this.#title) writeAll(titleText(this.#title = title));
  }

  /** The next colour theme, redrawn at once. */
  async #nextTheme(): Promise<void> {
    const next = THEME_NAMES[(THEME_NAMES.indexOf(this.#style.theme as ThemeName) + 1) % THEME_NAMES.length];
    this.#style = await loadStyle(this.#style.enabled, next);
    this.#screen.invalidate();
    this.#draw();
  }

  #onSnapshot(snapshot: Snapshot): void {
    this.#snapshot = this.#view(snapshot);
    this.#trends.observe(this.#snapshot);
    this.#tell(this.#snapshot);
    this.#schedule();
    this.#draw();
  }

  /** Plans the next full tick one interval after the last one; none while paused. */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#state.paused) return;
    const wait = Math.max(0, this.#lastFull + this.#opts.interval * 1000 - Date.now());
    this.#timer = setTimeout(() => this.#tick(), wait);
  }

  /** Asks for a tick; an `early` one (a transcript changed) leaves the full process sample to the interval. */
  #tick(early = false): void {
    this.#lastRequest = Date.now();
    if (!early) this.#lastFull = this.#lastRequest;
    this.#collect.request(early);
  }

  #draw(): void {
    this.#state = settle(this.#state, this.#snapshot, this.#size);
    const alerts = new Set(this.#alerts.map((a) => a.key));
    const opts = {
      ...this.#size,
      style: this.#style,
      interval: this.#opts.interval,
      alerts,
      trends: this.#trends,
    };
    this.#screen.draw(renderFrame(this.#snapshot, this.#state, opts));
  }

  /** Puts the terminal back and lets go of everything; idempotent. */
  #restore(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#early);
    clearTimeout(this.#group);
    this.#collect.close();
    this.#screen.leave();
    if (this.#title) writeAll(RESTORE_TITLE);
    this.#title = "";
    try {
      Deno.stdin.setRaw(false);
    } catch {
      // The terminal is gone.
    }
    for (const fn of this.#cleanups.splice(0)) fn();
  }
}

/**
 * Runs the live view until the user quits; returns the exit status (0 on `q`/Ctrl-C, 128 + signal
 * number on SIGTERM/SIGHUP/SIGINT, 2 when not on a terminal). An error is thrown after the terminal
 * has been restored.
 *
 * @throws {UsageError} on an interval below {@linkcode MIN_INTERVAL}.
 * @example
 * ```ts
 * import { parseCommandLine } from "../args.ts";
 * import { loadConfig } from "../config.ts";
 * import { collectorSettings, resolveSettings } from "../settings.ts";
 *
 * const settings = resolveSettings(parseCommandLine(["watch"]), await loadConfig());
 * Deno.exitCode = await runWatch({ ...settings, collect: await collectorSettings(settings) });
 * ```
 */
export async function runWatch(opts: WatchOptions): Promise<number> {
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
    console.error(NOT_A_TERMINAL);
    return 2;
  }
  if (!(opts.interval >= MIN_INTERVAL)) intervalOption(String(opts.interval), DEFAULT_INTERVAL);
  const style = await loadStyle(wantColor(true, opts.noColor), opts.theme);
  // Transcript text can hold any script: load the Unicode width tables now, not in the middle of a frame.
  await prepareWidths(["\u4e00"]);
  const [collect, first] = await CollectClient.start(opts.collect);
  collect.recentMs = opts.all ? RECENT_MS : null;
  const outcome = await new LiveView(opts, style, collect, first).run();
  if ("error" in outcome) throw outcome.error;
  return outcome.code;
}
