/**
 * What the live view tells you, and how: when an agent turns `waiting` or `limited`, a busy agent
 * ends with an error, or an alert is raised, {@linkcode Notifier} reports the change once (never for
 * agents already in that state when it started, nor for agents first seen in it), and
 * {@linkcode notificationText} turns a group of changes into what the terminal is sent: the bell, a
 * desktop notification (OSC 9 and OSC 777, wrapped in tmux's passthrough inside tmux) and the window
 * title with the count of agents that wait. Pure: snapshots in, text out; labels and projects are
 * made terminal-safe.
 *
 * @module
 */

import type { Agent, AgentStatus, Snapshot } from "../../agents/types.ts";
import type { Alert } from "../alerts.ts";
import { safeText } from "../text.ts";
import type { NotifyMode, NotifyOn, NotifySettings } from "./notify_settings.ts";

/** One change worth telling. */
export interface Change {
  kind: NotifyOn;
  key: string;
  /** Terminal-safe label, pid and project of the agent. */
  who: string;
  /** What happened, terminal-safe: `is waiting`, `is rate-limited`, `ended with an error`, the alert. */
  what: string;
}

const who = (a: Agent) => safeText(`${a.label}${a.project ? ` (${a.project})` : ""}`);

/** The statuses counted in the title, with their word. */
const TITLE_STATUSES: readonly [AgentStatus, NotifyOn][] = [["waiting", "waiting"], ["limited", "limited"]];

/**
 * Tells status changes and new alerts, one snapshot after the other. The first snapshot sets what is
 * already so: nothing is told about it.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const first: Snapshot, next: Snapshot;
 * import { DEFAULT_NOTIFY } from "./notify_settings.ts";
 * const notifier = new Notifier(DEFAULT_NOTIFY);
 * notifier.observe(first, []); // [] — agtop just started
 * notifier.observe(next, []); // e.g. [{ kind: "waiting", key: "4242:17", who: "Claude Code (shop)", what: "is waiting" }]
 * ```
 */
export class Notifier {
  #on: ReadonlySet<NotifyOn>;
  #status: Map<string, AgentStatus> | null = null;
  #alerts = new Set<string>();

  constructor(settings: NotifySettings) {
    this.#on = new Set(settings.mode === "off" ? [] : settings.on);
  }

  /** The changes since the last snapshot, in agent order; `alerts` are this snapshot's (`snapshotAlerts`). */
  observe(snap: Snapshot, alerts: readonly Alert[]): Change[] {
    const before = this.#status;
    const raised = this.#alerts;
    this.#status = new Map(snap.agents.map((a) => [a.key, a.status]));
    this.#alerts = new Set(alerts.map((a) => `${a.key}\0${a.kind}`));
    if (!before) return [];
    const out: Change[] = [];
    const tell = (kind: NotifyOn, a: Agent, what: string) => {
      if (this.#on.has(kind)) out.push({ kind, key: a.key, who: who(a), what: safeText(what) });
    };
    for (const a of snap.agents) {
      const was = before.get(a.key);
      if (was !== undefined && was !== a.status) {
        const error = was === "busy" && a.session?.activity.at(-1)?.kind === "error";
        if (error) tell("error", a, "ended with an error");
        else if (a.status === "waiting") {
          tell("waiting", a, a.session?.waitingFor ? `is waiting: ${a.session.waitingFor}` : "is waiting");
        } else if (a.status === "limited") tell("limited", a, "is rate-limited");
      }
      for (const alert of alerts) {
        if (alert.key === a.key && !raised.has(`${a.key}\0${alert.kind}`)) tell("alert", a, alert.text);
      }
    }
    return out;
  }
}

/**
 * The window title: `agtop`, then the agents that wait for you, e.g. `agtop · 2 waiting, 1 limited`.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "../../agents/types.ts";
 * declare const snapshot: Snapshot;
 * windowTitle(snapshot); // "agtop · 2 waiting"
 * ```
 */
export function windowTitle(snap: Snapshot): string {
  const counts = TITLE_STATUSES.map((
    [status, word],
  ) => [snap.agents.filter((a) => a.status === status).length, word])
    .filter(([n]) => n)
    .map(([n, word]) => `${n} ${word}`);
  return counts.length ? `agtop · ${counts.join(", ")}` : "agtop";
}

/** Where the text goes: inside tmux, desktop notifications travel through its passthrough. */
export interface TerminalKind {
  tmux: boolean;
}

const ESC = "\x1b";
const BEL = "\x07";

/** Text for inside an OSC string: terminal-safe, no `;` (it separates the fields), at most 200 characters. */
const oscSafe = (s: string) => safeText(s).replaceAll(";", ",").slice(0, 200);

/** A sequence as the outer terminal gets it: inside tmux, in its passthrough with every ESC doubled. */
function passthrough(seq: string, where: TerminalKind): string {
  return where.tmux ? `${ESC}Ptmux;${seq.replaceAll(ESC, ESC + ESC)}${ESC}\\` : seq;
}

/**
 * The title and body of a desktop notification for a group of changes (one or several agents within a
 * second).
 *
 * @example
 * ```ts
 * notification([{ kind: "waiting", key: "1:1", who: "Codex (shop)", what: "is waiting" }]);
 * // { title: "agtop: Codex (shop)", body: "Codex (shop) is waiting" }
 * ```
 */
export function notification(changes: readonly Change[]): { title: string; body: string } {
  const agents = new Set(changes.map((c) => c.key)).size;
  const title = agents === 1 ? `agtop: ${changes[0].who}` : `agtop: ${agents} agents need you`;
  return { title, body: changes.map((c) => `${c.who} ${c.what}`).join("; ") };
}

/**
 * What to write to the terminal for a group of changes under `mode`: the bell (`on`, `bell`), and a
 * desktop notification as OSC 9 and OSC 777 (`on`, `quiet`); "" for none.
 *
 * @example
 * ```ts
 * notificationText([{ kind: "waiting", key: "1:1", who: "Codex", what: "is waiting" }], "bell", { tmux: false }); // "\x07"
 * ```
 */
export function notificationText(changes: readonly Change[], mode: NotifyMode, where: TerminalKind): string {
  if (!changes.length || mode === "off") return "";
  const { title, body } = notification(changes);
  const bell = mode === "on" || mode === "bell" ? BEL : "";
  if (mode === "bell") return bell;
  const osc9 = `${ESC}]9;${oscSafe(`${title}: ${body}`)}${BEL}`;
  const osc777 = `${ESC}]777;notify;${oscSafe(title)};${oscSafe(body)}${BEL}`;
  return bell + passthrough(osc9, where) + passthrough(osc777, where);
}

/**
 * Sets the window title (OSC 2); inside tmux this is the pane's title, which tmux shows as the
 * window's when `set-titles` is on.
 *
 * @example
 * ```ts
 * titleText("agtop · 1 waiting"); // "\x1b]2;agtop · 1 waiting\x07"
 * ```
 */
export function titleText(title: string): string {
  return `${ESC}]2;${oscSafe(title)}${BEL}`;
}

/** Saves the window title on the terminal's title stack (XTWINOPS 22), before agtop changes it. */
export const SAVE_TITLE = `${ESC}[22;0t`;
/** Restores the title saved by {@linkcode SAVE_TITLE} (XTWINOPS 23). */
export const RESTORE_TITLE = `${ESC}[23;0t`;
