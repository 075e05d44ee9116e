/**
 * What agtop reads from an agent's session transcript: plain data, filled in by the vendor readers in
 * `agents/vendors/` and the transcript parsers in `agents/transcripts/`.
 *
 * @module
 */

/** Token counts by billing bucket. `input` is non-cached input; `output` excludes `reasoning` where the vendor separates them. */
export interface TokenBuckets {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Reasoning/thinking tokens where the vendor reports them separately; 0 otherwise. */
  reasoning: number;
}

/** A fresh all-zero {@linkcode TokenBuckets}. */
export function emptyTokens(): TokenBuckets {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addTokens(a: TokenBuckets, b: TokenBuckets): TokenBuckets {
  a.input += b.input;
  a.output += b.output;
  a.cacheRead += b.cacheRead;
  a.cacheWrite += b.cacheWrite;
  a.reasoning += b.reasoning;
  return a;
}

/** Sum of every bucket. */
export function totalTokens(t: TokenBuckets): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite + t.reasoning;
}

/** A tool call the agent has started and that has no result yet (or the last one, when finished). */
export interface ToolCall {
  /** Tool name as the agent calls it, e.g. `Bash`, `Edit`, `exec_command`, `mcp__github__search`. */
  name: string;
  /** The one argument a user wants to see: the command, the file path, the pattern; "" when none. */
  arg: string;
  /** Call id from the transcript, when it has one. */
  id: string | null;
  /** When the call was made (ms since epoch), when known. */
  startedAt: number | null;
}

/** A subagent the session started. */
export interface SubagentFacts {
  id: string;
  /** e.g. `general-purpose`, an agent nickname. */
  type: string | null;
  description: string | null;
  /** `running` while the parent's call has no result yet. */
  status: "running" | "done";
  model: string | null;
  tokens: TokenBuckets;
  currentTool: ToolCall | null;
  lastActivity: number | null;
}

/** One line of the recent-activity tail. */
export interface ActivityEvent {
  /** ms since epoch, when the record carries a time. */
  at: number | null;
  kind: "prompt" | "text" | "thinking" | "tool" | "result" | "error" | "system";
  /** One line, control characters already stripped. */
  text: string;
}

/** Where the turn stands, as the transcript tells it. */
export type TurnState =
  /** The model is generating or a tool is running. */
  | "working"
  /** The turn ended; the agent waits for the user. */
  | "ended"
  /** The session exited (e.g. `/exit`, `-p` run finished). */
  | "exited"
  | "unknown";

/** Everything agtop knows about one session. */
export interface SessionFacts {
  /** Vendor id, e.g. `claude`, `codex`. */
  vendor: string;
  /** Session (thread) id. */
  id: string;
  /** Transcript path. */
  path: string;
  /** How the session was linked to its process: `registry`, `fd`, `env`, `argv`, `cwd`, or `recent` (no process). */
  linkedBy: string;
  cwd: string | null;
  gitBranch: string | null;
  title: string | null;
  model: string | null;
  lastPrompt: string | null;
  /** The in-progress task item (TodoWrite / TaskUpdate), when any. */
  currentTask: string | null;
  /** The newest tool call without a result, or null. */
  currentTool: ToolCall | null;
  subagents: SubagentFacts[];
  turn: TurnState;
  /** Vendor stop reason of the newest response (`end_turn`, `tool_use`, …). */
  stopReason: string | null;
  /** ms since epoch of the first record. */
  startedAt: number | null;
  /** ms since epoch of the newest record (or file modification). */
  lastActivity: number | null;
  /** Whole-session totals, subagents included. */
  tokens: TokenBuckets;
  /** The same totals per model id as the transcript names it (for pricing). */
  tokensByModel: Record<string, TokenBuckets>;
  /** Prompt size of the newest request (input + cache read + cache write). */
  contextTokens: number | null;
  /** Context window the vendor reports for the model, when it does. */
  contextWindow: number | null;
  /** Last ~8 events, oldest first. */
  activity: ActivityEvent[];
  /** Lines that could not be parsed (skipped). */
  malformedLines: number;
  /**
   * What the agent waits for from the user before it can go on (`permission prompt`, `input needed`, …),
   * when the vendor says so (Claude Code's session registry); absent or null otherwise.
   */
  waitingFor?: string | null;
}
