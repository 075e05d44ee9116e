/**
 * oh-my-pi's subagents: each one its `task` tool starts writes a session file of its own,
 * `<session file without .jsonl>/<subagent id>.jsonl` (pi's format, with `parentSession` in its
 * header), beside the artifacts it leaves there (`<id>.md`). Their usage and cost count towards the
 * parent session, and each is shown as a subagent of it, never as a session of its own.
 *
 * @module
 */

import type { SessionRead } from "../vendor.ts";
import type { SubagentFacts } from "../session.ts";
import { addTokens, emptyTokens, mergeMinutes, SUBAGENT_QUIET_MS } from "../session.ts";
import type { DirListings } from "./files.ts";
import type { Transcripts } from "./parse_cache.ts";
import type { PiSubagentCall, PiTranscript } from "./pi_session.ts";

/**
 * The directory of the subagent session files of a session file.
 *
 * @example
 * ```ts
 * piSubagentDir("/s/-app/2026-12-06T18-08-48-390Z_01a2.jsonl"); // "/s/-app/2026-12-06T18-08-48-390Z_01a2"
 * ```
 */
export function piSubagentDir(path: string): string {
  return path.endsWith(".jsonl") ? path.slice(0, -".jsonl".length) : `${path}.d`;
}

/**
 * One subagent as shown: running while the parent has not got its result, it has not handed one back
 * (`yield`) and it wrote in the last {@linkcode SUBAGENT_QUIET_MS}.
 *
 * @example
 * ```ts
 * import type { SessionRead } from "../vendor.ts";
 * declare const facts: SessionRead;
 * piSubagent("Prober", facts, undefined, Date.now()).status;
 * ```
 */
export function piSubagent(
  id: string,
  f: SessionRead,
  call: PiSubagentCall | undefined,
  now: number,
): SubagentFacts {
  const last = f.lastActivity;
  const running = call?.done !== true && f.turn !== "ended" && f.turn !== "exited" && last !== null &&
    now - last < SUBAGENT_QUIET_MS;
  return {
    id,
    type: call?.type ?? null,
    description: call?.description ?? f.title,
    status: running ? "running" : "done",
    model: f.model,
    tokens: { ...f.tokens },
    currentTool: running ? f.currentTool : null,
    lastActivity: last,
  };
}

/**
 * A session's facts with its subagents': each subagent file in {@linkcode piSubagentDir} read
 * (incrementally, through `files`) and joined with the parent's `task` calls by id; their tokens,
 * per-model tokens, cost, usage minutes and malformed lines added to the parent's. Calls whose file is
 * missing are listed as finished, without tokens.
 *
 * @example
 * ```ts
 * import type { SessionRead } from "../vendor.ts";
 * import { DirListings } from "./files.ts";
 * import { Transcripts } from "./parse_cache.ts";
 * import { PiTranscript } from "./pi_session.ts";
 * declare const parent: SessionRead;
 * const files = new Transcripts(() => new PiTranscript());
 * withSubagents(parent, "/s/-app/x.jsonl", [], files, new DirListings(), Date.now()).subagents;
 * ```
 */
export function withSubagents(
  parent: SessionRead,
  path: string,
  calls: readonly PiSubagentCall[],
  files: Transcripts<PiTranscript>,
  listings: DirListings,
  now: number,
): SessionRead {
  const dir = piSubagentDir(path);
  const names = listings.list(dir, now).filter((n) => n.endsWith(".jsonl"));
  if (names.length === 0 && calls.length === 0) return parent;
  const tokens = { ...parent.tokens };
  const byModel = { ...parent.tokensByModel };
  for (const [m, t] of Object.entries(byModel)) byModel[m] = { ...t };
  let cost = parent.costUsd ?? 0;
  let malformed = parent.malformedLines;
  let lastActivity = parent.lastActivity ?? 0;
  let minutes = parent.recentUsage ?? [];
  let history = parent.usageHistory;
  const subagents: { at: number; facts: SubagentFacts }[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const t = files.follow(`${dir}/${name}`, now);
    if (t.tail.mtimeMs === null) continue;
    const f = t.parser.facts();
    const id = name.slice(0, -".jsonl".length);
    seen.add(id);
    const written = Math.max(f.lastActivity ?? 0, t.tail.mtimeMs);
    const facts = piSubagent(id, { ...f, lastActivity: written }, calls.find((c) => c.id === id), now);
    subagents.push({ at: f.startedAt ?? written, facts });
    addTokens(tokens, f.tokens);
    for (const [m, b] of Object.entries(f.tokensByModel)) addTokens(byModel[m] ??= emptyTokens(), b);
    cost += f.costUsd ?? 0;
    malformed += f.malformedLines + t.tail.skippedLines;
    lastActivity = Math.max(lastActivity, written);
    minutes = minutes.concat(f.recentUsage ?? []);
    if (history) history = history.concat(f.usageHistory ?? []);
  }
  for (const call of calls) {
    if (seen.has(call.id)) continue;
    const facts = { id: call.id, type: call.type, description: call.description, status: "done" as const };
    subagents.push({
      at: call.at ?? 0,
      facts: { ...facts, model: null, tokens: emptyTokens(), currentTool: null, lastActivity: call.at },
    });
  }
  return {
    ...parent,
    subagents: subagents.sort((a, b) => a.at - b.at).map((s) => s.facts),
    tokens,
    tokensByModel: byModel,
    costUsd: cost > 0 ? cost : null,
    malformedLines: malformed,
    lastActivity: lastActivity || null,
    recentUsage: mergeMinutes(minutes),
    ...(history ? { usageHistory: mergeMinutes(history) } : {}),
  };
}
