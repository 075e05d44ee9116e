/**
 * Builders for Agent, Snapshot and process values in tests.
 *
 * @module
 */

import type { Agent, Snapshot } from "../../agents/types.ts";
import type { SessionFacts } from "../../agents/session.ts";
import { emptyTokens } from "../../agents/session.ts";
import { agentRow } from "../../agents/collect/rows.ts";
import type { ProcessInfo } from "../../platform/types.ts";

/** An agent with plausible defaults; override what the test is about. */
export function makeAgent(over: Partial<Agent> = {}): Agent {
  const pid = over.pid ?? 4242;
  return agentRow({
    key: `${pid}:1`,
    agent: "claude",
    label: "Claude Code",
    pid,
    ppid: 1,
    name: "claude",
    exe: "/usr/bin/claude",
    argv: ["claude"],
    cwd: "/home/me/proj",
    project: "proj",
    state: "sleeping",
    threads: 8,
    startedAt: Date.parse("2026-11-24T10:00:00Z"),
    uptimeSec: 192,
    cpuPercent: 1.5,
    cpuTimeMs: 1000,
    rssBytes: 200 * 1024 * 1024,
    readBytes: 0,
    writeBytes: 4096,
    status: "idle",
    phrase: "idle",
    ...over,
  });
}

/** Session facts with plausible defaults. */
export function makeSession(over: Partial<SessionFacts> = {}): SessionFacts {
  return {
    vendor: "claude",
    id: "9f8a0000-0000-0000-0000-000000000001",
    path: "/home/me/.claude/projects/-home-me-proj/9f8a.jsonl",
    linkedBy: "registry",
    cwd: "/home/me/proj",
    gitBranch: "main",
    title: null,
    model: "claude-sonnet-4-5",
    lastPrompt: "run the tests",
    currentTask: null,
    currentTool: null,
    subagents: [],
    turn: "working",
    stopReason: null,
    startedAt: null,
    lastActivity: null,
    tokens: emptyTokens(),
    tokensByModel: {},
    contextTokens: null,
    contextWindow: null,
    activity: [],
    malformedLines: 0,
    ...over,
  };
}

/** A snapshot holding `agents`. */
export function makeSnapshot(agents: Agent[]): Snapshot {
  return {
    schema: 1,
    version: "0.0.0-test",
    takenAt: Date.parse("2026-11-24T10:03:12Z"),
    sampleMs: 250,
    host: {
      hostname: "box",
      os: "linux",
      arch: "x86_64",
      cpuCount: 2,
      memTotalBytes: 24 * 2 ** 30,
      memAvailableBytes: 20 * 2 ** 30,
      bootTime: Date.parse("2026-11-24T09:00:00Z"),
      uptimeSec: 3792,
    },
    agents,
    pricesDate: null,
  };
}

/**
 * A process as a process source lists it, with plausible defaults (sleeping, started at a fixed time
 * after its pid).
 *
 * @example
 * ```ts
 * makeProcess(11, 10, "droid", "/p/node_modules/@factory/cli/bin/droid", ["droid"]);
 * ```
 */
export function makeProcess(
  pid: number,
  ppid: number,
  name: string,
  exe: string | null,
  argv: string[],
): ProcessInfo {
  return {
    pid,
    ppid,
    name,
    exe,
    argv,
    state: "sleeping",
    threads: 4,
    startedAt: 1_780_000_000_000 + pid,
    startId: 1000 + pid,
    cpuTimeMs: 10,
    rssBytes: 50e6,
    uid: 1000,
  };
}
