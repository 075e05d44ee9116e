/**
 * Reading an agent's status from what its reader made of a fixture, fed record by record: the state
 * machine of each agent, pinned transition by transition.
 *
 * @module
 */

import type { SessionRead } from "../../agents/vendor.ts";
import type { AgentStatus } from "../../agents/types.ts";
import { agentStatus } from "../../agents/status.ts";
import { makeSession } from "./agents.ts";

/** A parser fed one line at a time (the vendors' transcript classes). */
export interface LineParser {
  feed(line: string): void;
  facts(): SessionRead;
}

/**
 * The status and the tool in flight (`name arg`, or null) after each prefix of `lines` a parser made
 * with `make` is fed: `prefixes` are line counts. The agent's process is alive, runs `toolChildren`
 * tool processes, and its store was written a second ago.
 *
 * @example
 * ```ts
 * import { PiTranscript } from "../../agents/formats/pi_session.ts";
 * statesAfter(() => new PiTranscript(), ["{}"], [1]); // [["idle", null]]
 * ```
 */
export function statesAfter(
  make: () => LineParser,
  lines: readonly string[],
  prefixes: readonly number[],
  toolChildren = 0,
): [AgentStatus, string | null][] {
  return prefixes.map((n) => {
    const parser = make();
    for (const line of lines.slice(0, n)) parser.feed(line);
    return stateOf(parser.facts(), toolChildren);
  });
}

/**
 * The status and the tool in flight (`name arg`) of a session read, its store written a second ago.
 *
 * @example
 * ```ts
 * import type { SessionRead } from "../../agents/vendor.ts";
 * declare const read: SessionRead; // a turn that ended
 * stateOf(read); // ["waiting", null]
 * ```
 */
export function stateOf(read: SessionRead, toolChildren = 0): [AgentStatus, string | null] {
  const now = Date.parse("2030-01-01T00:00:00Z");
  const session = makeSession({ ...read, lastActivity: now - 1_000 });
  const tool = read.currentTool ? `${read.currentTool.name} ${read.currentTool.arg}`.trim() : null;
  return [agentStatus({ cpuPercent: 0, toolChildren, session, now, alive: true }), tool];
}
