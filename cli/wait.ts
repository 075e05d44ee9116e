/**
 * `agtop wait`: blocks until an agent (or any agent that matches) is in a state, for scripts:
 * `agtop wait --pid 4242 --for waiting && notify-send "Claude needs you"`. The decision per snapshot
 * is {@linkcode waitVerdict}, pure; the exit statuses are `WAIT_EXIT`.
 *
 * @module
 */

import type { Collector } from "../agents/collect/collector.ts";
import type { Agent, AgentStatus, Snapshot } from "../agents/types.ts";
import { WAIT_EXIT, type WAIT_STATES } from "./commands.ts";
import { Following, snapshots } from "./follow.ts";
import type { Settings } from "./settings.ts";

/** What to wait for. */
export type WaitState = (typeof WAIT_STATES)[number];

/** The statuses each state of `--for` is met by. */
const MET_BY: Record<WaitState, readonly AgentStatus[]> = {
  waiting: ["waiting"],
  idle: ["idle"],
  done: ["done"],
  any: ["waiting", "idle", "limited", "done"],
};

/** Where a wait stands after a snapshot. */
export type Verdict = "met" | "waiting" | "no such agent" | "gone";

/**
 * Where a wait stands: `agents` are the followed agents of this snapshot (`--pid` or `--filter`
 * applied), `first` whether it is the first look. An agent that exited meets `done` and `any`.
 *
 * @example
 * ```ts
 * import type { Agent } from "../agents/types.ts";
 * declare const agent: Agent;
 * waitVerdict([{ ...agent, status: "waiting" }], "waiting", false); // "met"
 * waitVerdict([], "waiting", true); // "no such agent"
 * waitVerdict([], "done", false); // "met"
 * ```
 */
export function waitVerdict(agents: readonly Agent[], state: WaitState, first: boolean): Verdict {
  if (agents.some((a) => MET_BY[state].includes(a.status))) return "met";
  if (agents.length) return "waiting";
  if (first) return "no such agent";
  return MET_BY[state].includes("done") ? "met" : "gone";
}

/** What `wait` waits for. */
export type WaitOptions = Pick<Settings, "pid" | "filter" | "hidden" | "waitFor" | "timeoutMs" | "interval">;

const EXIT: Record<Exclude<Verdict, "waiting">, number> = {
  met: WAIT_EXIT.met,
  "no such agent": WAIT_EXIT.noSuchAgent,
  gone: WAIT_EXIT.gone,
};

/**
 * Looks at the interval until the verdict is in or the timeout passes; returns the exit status and
 * says why on stderr when it is not met.
 *
 * @example
 * ```ts
 * import type { Collector } from "../agents/collect/collector.ts";
 * declare const collector: Collector;
 * Deno.exitCode = await runWait(collector, { pid: 4242, filter: "", hidden: [], waitFor: "waiting", timeoutMs: null, interval: 1.5 });
 * ```
 */
export async function runWait(collector: Collector, opts: WaitOptions): Promise<number> {
  const following = new Following({ filter: opts.filter, hidden: opts.hidden });
  const pick = (snap: Snapshot) =>
    opts.pid === null ? following.select(snap).agents : snap.agents.filter((a) => a.pid === opts.pid);
  const what = opts.pid === null
    ? (opts.filter ? `an agent matching '${opts.filter}'` : "an agent")
    : `pid ${opts.pid}`;
  const deadline = opts.timeoutMs === null ? Infinity : Date.now() + opts.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => {
    if (deadline !== Infinity) timer = setTimeout(() => r("timeout"), opts.timeoutMs!);
  });
  const looks = snapshots(collector, opts.interval * 1000, 250);
  try {
    for (let first = true;; first = false) {
      const next = await Promise.race([looks.next(), timeout]);
      if (next === "timeout") {
        console.error(`agtop: timed out waiting for ${what} to be ${opts.waitFor}`);
        return WAIT_EXIT.timedOut;
      }
      const verdict = waitVerdict(pick(next.value as Snapshot), opts.waitFor, first);
      if (verdict === "waiting") continue;
      if (verdict === "no such agent") console.error(`agtop: no such agent: ${what}`);
      if (verdict === "gone") console.error(`agtop: ${what} exited before it was ${opts.waitFor}`);
      return EXIT[verdict];
    }
  } finally {
    clearTimeout(timer);
  }
}
