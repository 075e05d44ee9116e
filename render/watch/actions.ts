/**
 * The two things the live view does besides showing: ending a process (`k`, `K`, after a `y`) and
 * jumping to an agent's tmux pane (`t`). Pure: what a key asks for (an effect, a question, or a
 * notice saying why not) and the notice that reports the outcome. The caller carries the effects out.
 *
 * @module
 */

import type { Agent, AgentProcess } from "../../agents/types.ts";
import type { SignalReport, SignalTarget } from "../../agents/signals.ts";
import { TERMINATE_NAME } from "../../platform/types.ts";
import type { TmuxJump } from "../../agents/tmux.ts";
import { safeText } from "../text.ts";

/** End these processes (SIGTERM; Windows: terminate). `what` names them for the notice. */
export interface SignalEffect {
  kind: "signal";
  targets: SignalTarget[];
  what: string;
}

/** Bring the tmux pane whose terminal is `tty` to the front, on the server at `socket` (null: default). */
export interface JumpEffect {
  kind: "jump";
  tty: string;
  socket: string | null;
  what: string;
}

/** A one-line report on the last screen line, shown until the next key. */
export interface Notice {
  text: string;
  /** True when it says something did not happen. */
  error: boolean;
}

/** A yes/no question on the last screen line; `y` carries out `effect`, any other key cancels. */
export interface Confirmation {
  /** The question without the `y/n`, e.g. `send SIGTERM to Claude Code (pid 123)?` */
  prompt: string;
  effect: SignalEffect;
  /** The processes it would end, one line each (`pid 160  vite`), shown above the question; may be empty. */
  list: string[];
}

/** The notice when agtop may not run tmux. */
export const JUMP_NEEDS_RUN = "jumping to tmux needs --allow-run=tmux";

const ASK = TERMINATE_NAME === "SIGTERM" ? "send SIGTERM to" : "terminate";
const DONE = TERMINATE_NAME === "SIGTERM" ? "sent SIGTERM to" : "terminated";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const nameOf = (a: Agent) => safeText(a.label);
const alive = (a: Agent) => a.pid > 0 && a.state !== "dead";
const error = (text: string): Notice => ({ text, error: true });

function confirm(targets: SignalTarget[], what: string, list: string[] = []): Confirmation {
  return { prompt: `${ASK} ${what}?`, effect: { kind: "signal", targets, what }, list };
}

/**
 * `k` on an agent: end its main process, after confirmation; a notice when it has none left.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent; // Claude Code, pid 123
 * (endAgent(agent) as Confirmation).prompt; // "send SIGTERM to Claude Code (pid 123)?"
 * ```
 */
export function endAgent(a: Agent): Confirmation | Notice {
  if (!alive(a)) {
    const more = a.orphans.length ? `; K ends its ${plural(a.orphans.length, "orphan")}` : "";
    return error(`${nameOf(a)} has no process left${more}`);
  }
  return confirm([{ pid: a.pid, startedAt: a.startedAt }], `${nameOf(a)} (pid ${a.pid})`);
}

/**
 * `k` on an orphan row: end that orphan, after confirmation.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent; // Claude Code, whose first orphan is vite, pid 160
 * endOrphan(agent, agent.orphans[0]).prompt; // "send SIGTERM to orphan vite (pid 160) of Claude Code?"
 * ```
 */
export function endOrphan(a: Agent, o: AgentProcess): Confirmation {
  return confirm(
    [{ pid: o.pid, startedAt: o.startedAt }],
    `orphan ${safeText(o.name)} (pid ${o.pid}) of ${nameOf(a)}`,
  );
}

/**
 * `K`: end every orphan of an agent, after confirmation; a notice when it has none.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent; // Claude Code, with 2 orphans
 * (endOrphans(agent) as Confirmation).prompt; // "send SIGTERM to 2 orphans of Claude Code?"
 * (endOrphans(agent) as Confirmation).list; // ["pid 160  vite", "pid 161  esbuild"]
 * ```
 */
export function endOrphans(a: Agent): Confirmation | Notice {
  if (!a.orphans.length) return error(`${nameOf(a)} has no orphans`);
  return confirm(
    a.orphans.map((o) => ({ pid: o.pid, startedAt: o.startedAt })),
    `${plural(a.orphans.length, "orphan")} of ${nameOf(a)}`,
    a.orphans.map((o) => `pid ${o.pid}  ${safeText(o.name)}`),
  );
}

/** Outcomes in words, for the notice. */
const OUTCOME: Record<SignalReport["outcome"], string> = {
  "sent": "sent",
  "no-such-process": "no such process",
  "permission-denied": "permission denied",
  "refused": "not signalled",
  "failed": "failed",
};

/**
 * The notice after a signal effect: `sent SIGTERM to …` when every target got it, otherwise what
 * happened (the reason for one target, counts for several).
 *
 * @example
 * ```ts
 * const what = "Claude Code (pid 123)";
 * const effect: SignalEffect = { kind: "signal", targets: [{ pid: 123, startedAt: 0 }], what };
 * signalNotice(effect, [{ pid: 123, outcome: "permission-denied", detail: null }]).text;
 * // "Claude Code (pid 123): permission denied"
 * ```
 */
export function signalNotice(effect: SignalEffect, reports: readonly SignalReport[]): Notice {
  if (reports.length && reports.every((r) => r.outcome === "sent")) {
    return { text: `${DONE} ${effect.what}`, error: false };
  }
  if (reports.length === 1) {
    const [r] = reports;
    return error(`${effect.what}: ${OUTCOME[r.outcome]}${r.detail ? ` (${safeText(r.detail)})` : ""}`);
  }
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(OUTCOME[r.outcome], (counts.get(OUTCOME[r.outcome]) ?? 0) + 1);
  return error(`${effect.what}: ${[...counts].map(([word, n]) => `${n} ${word}`).join(", ")}`);
}

/**
 * Whether the agent runs in tmux: its terminal place says so, or, where the place was left out
 * (`--private` keeps only the label), its terminal label does.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent;
 * inTmux(agent); // true for an agent in `tmux pane %3`
 * ```
 */
export function inTmux(a: Pick<Agent, "terminal" | "terminalPlace">): boolean {
  if (a.terminalPlace) return a.terminalPlace.multiplexer?.name === "tmux";
  return /^tmux\b/.test(a.terminal ?? "");
}

/**
 * `t`: jump to the agent's tmux pane (on the server of its `TMUX` socket; when that is not known, the
 * server tmux picks: the one agtop runs in, else the default one); a notice saying where it runs
 * instead when that is not tmux.
 *
 * @example
 * ```ts
 * import type { Agent } from "../../agents/types.ts";
 * declare const agent: Agent; // Claude Code, pid 123, on /dev/pts/3 in tmux
 * jumpTo(agent); // { kind: "jump", tty: "/dev/pts/3", socket: "/tmp/tmux-1000/default", what: … }
 * ```
 */
export function jumpTo(a: Agent): JumpEffect | Notice {
  if (!alive(a)) return error(`${nameOf(a)} has exited`);
  if (a.tty === null) return error(`${nameOf(a)} has no terminal`);
  if (!inTmux(a)) {
    const where = a.terminal && a.terminal !== a.tty.replace(/^\/dev\//, "")
      ? ` in ${safeText(a.terminal)}`
      : "";
    return error(`${nameOf(a)} is not in tmux: it runs on ${safeText(a.tty)}${where}`);
  }
  const socket = a.terminalPlace?.multiplexer?.socket ?? null;
  return { kind: "jump", tty: a.tty, socket, what: `${nameOf(a)} (pid ${a.pid})` };
}

/**
 * The notice after a jump: where it went, or why not (`result` is what `jumpToTmuxPane` resolved to,
 * or the error it threw).
 *
 * @example
 * ```ts
 * const what = "Claude Code (pid 123)";
 * const effect: JumpEffect = { kind: "jump", tty: "/dev/pts/3", socket: null, what };
 * const pane = { tty: "/dev/pts/3", session: "work", target: "work:1.0", id: "%3" };
 * jumpNotice(effect, { pane, switched: true }).text;
 * // "switched to Claude Code (pid 123): tmux pane %3 (work:1.0)"
 * ```
 */
export function jumpNotice(effect: JumpEffect, result: TmuxJump | null | Error): Notice {
  if (result instanceof Error) return error(safeText(result.message));
  if (result === null) return error(`no tmux pane has ${safeText(effect.tty)}`);
  const pane = `tmux pane ${safeText(result.pane.id)} (${safeText(result.pane.target)})`;
  return result.switched
    ? { text: `switched to ${effect.what}: ${pane}`, error: false }
    : { text: `selected ${pane} for ${effect.what}; no tmux client to switch`, error: false };
}
