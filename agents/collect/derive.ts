/**
 * What follows from a row and its session: status, what it is doing, cost, context fill, cache
 * warmth and burn rate. Pure: the same row, session, clock and prices give the same facts.
 *
 * @module
 */

import type { Agent } from "../types.ts";
import type { SessionFacts } from "../session.ts";
import type { PriceTable } from "../pricing/table.ts";
import { contextLimit, sessionCacheSaved, sessionCost } from "../pricing/cost.ts";
import { isLocalModel, lookupModel, type ModelPrice } from "../pricing/table.ts";
import { agentStatus, waitingReason } from "../status.ts";
import { cacheWarmth } from "../cache.ts";
import { sessionBurn } from "../burn.ts";
import { doingPhrase } from "../phrase.ts";

/** The fields of a row that {@linkcode derive} sets. */
export type Derived = Pick<
  Agent,
  | "session"
  | "status"
  | "phrase"
  | "cache"
  | "burn"
  | "costUsd"
  | "costBasis"
  | "cacheSavedUsd"
  | "contextLimit"
  | "contextPercent"
>;

/** The rates of a model that runs locally. */
const FREE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, maxInputTokens: null };

/**
 * How many live processes the agent's tools run (its children with the role `child`, zombies not
 * counted): MCP servers and self-updates are not tools.
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * declare const agent: Agent;
 * toolProcesses(agent); // 0 for an agent at its prompt
 * ```
 */
export function toolProcesses(agent: Agent): number {
  return agent.children.filter((c) => c.role === "child" && c.state !== "zombie").length;
}

/**
 * The session of a row and what follows from it; without a session, only status and phrase.
 * `alive`: the row has a live process. `seenRunning`: the calls in flight whose tool process was seen
 * in an earlier tick (`RunningCalls`).
 *
 * @example
 * ```ts
 * import type { Agent } from "../types.ts";
 * import type { SessionFacts } from "../session.ts";
 * import { bundledTable } from "../pricing/table.ts";
 *
 * declare const agent: Agent;
 * declare const session: SessionFacts | null;
 * Object.assign(agent, derive(agent, session, Date.now(), true, bundledTable()));
 * ```
 */
export function derive(
  agent: Agent,
  session: SessionFacts | null,
  now: number,
  alive: boolean,
  prices: PriceTable,
  seenRunning?: ReadonlySet<string>,
): Derived {
  const toolChildren = toolProcesses(agent);
  const status = agentStatus({
    cpuPercent: agent.cpuPercent,
    toolChildren,
    session,
    now,
    alive,
    seenRunning,
  });
  const reason = status === "waiting" ? waitingReason(session, toolChildren, now, seenRunning) : null;
  if (session && reason && reason !== session.waitingFor) session = { ...session, waitingFor: reason };
  const phrase = doingPhrase({ ...agent, session, status }, now);
  const none = {
    cache: null,
    burn: null,
    costUsd: null,
    costBasis: null,
    cacheSavedUsd: null,
    contextLimit: null,
    contextPercent: null,
  };
  if (!session) return { session, status, phrase, ...none };
  const priceOf = (model: string) => isLocalModel(model) ? FREE : lookupModel(prices, model)?.price ?? null;
  const cost = sessionCost(session.tokensByModel, prices);
  const context = contextLimit(session.model, session.contextTokens, prices, session.contextWindow);
  const recorded = session.costUsd ?? null;
  return {
    session,
    status,
    phrase,
    cache: cacheWarmth(session, now, session.model ? priceOf(session.model) : null),
    burn: sessionBurn(session, now, priceOf),
    costUsd: recorded ?? cost.usd,
    costBasis: recorded === null ? cost.basis : cost.basis === "local" ? "local" : "api",
    cacheSavedUsd: sessionCacheSaved(session.tokensByModel, priceOf),
    contextLimit: context.limit,
    contextPercent: context.fill === null ? null : context.fill * 100,
  };
}
