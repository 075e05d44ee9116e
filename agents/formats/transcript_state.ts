/**
 * What every transcript parser keeps while it reads a session: when the records start and end, the
 * recent activity, the lines it could not read, where the turn stands, the tool calls in flight, the
 * prompts, rate limits and the files changed. One {@linkcode TranscriptState} per parser; the parser
 * adds what only its agent writes and fills {@linkcode SessionRead} through
 * {@linkcode TranscriptState.facts}.
 *
 * @module
 */

import type { RateLimit, SubagentFacts, TokenBuckets, ToolCall, TurnState } from "../session.ts";
import { emptyTokens, newestCall } from "../session.ts";
import { feedJsonLine, type JsonObject, TimeSpan } from "./records.ts";
import { ACTIVITY_WIDTH, ActivityTail, cleanLine, promptLine } from "./text.ts";
import type { LimitNotice } from "./limits.ts";
import { ChangedFiles } from "./changed.ts";
import type { SessionRead } from "../vendor.ts";

/** The rate-limit part of {@linkcode SessionRead}, as {@linkcode TranscriptState.limitFacts} gives it. */
export type LimitFacts = Required<Pick<SessionRead, "rateLimits" | "limitedUntil" | "lastRequestAt">>;

/** A subagent as a parser follows it: running until the call that started it has its result. */
export interface SubagentRun {
  /** The subagent's id, or that of the call that started it. */
  id: string;
  /** Its type or nickname. */
  type: string | null;
  /** What it was asked to do. */
  description: string | null;
  /** True until it finished. */
  running: boolean;
  /** Its model, when known. */
  model?: string | null;
  /** Its own tokens, when the transcript counts them apart (copied). */
  tokens?: TokenBuckets;
  /** Its tool in flight, when known. */
  currentTool?: ToolCall | null;
  /** When it was last seen at work (or started). */
  lastActivity: number | null;
}

/**
 * A subagent's facts: `running` or `done`, and what is not known empty.
 *
 * @example
 * ```ts
 * subagentFacts({ id: "a1", type: "general-purpose", description: "Probe", running: true, lastActivity: null });
 * // { id: "a1", …, status: "running", model: null, tokens: { input: 0, … }, currentTool: null, lastActivity: null }
 * ```
 */
export function subagentFacts(s: SubagentRun): SubagentFacts {
  return {
    id: s.id,
    type: s.type,
    description: s.description,
    status: s.running ? "running" : "done",
    model: s.model ?? null,
    tokens: s.tokens ? { ...s.tokens } : emptyTokens(),
    currentTool: s.currentTool ?? null,
    lastActivity: s.lastActivity,
  };
}

/**
 * The state one transcript parser builds from the records it was fed. Fields are plain and written by
 * the parser; the methods do what several parsers do alike (a prompt, a tool call, the end of a turn,
 * a limit hit, an edit that went through). Nothing here allocates per record beyond what it keeps.
 *
 * @example
 * ```ts
 * const s = new TranscriptState();
 * s.span.see(Date.parse("2026-11-24T03:26:48Z"));
 * s.prompt(s.span.last, "run the tests");
 * s.toolCall(s.span.last, "Bash", "npm test", "toolu_1");
 * s.facts({ id: "9f8a" }).currentTool; // { name: "Bash", arg: "npm test", id: "toolu_1", startedAt: … }
 * ```
 */
export class TranscriptState {
  /** The first and the newest record time. */
  readonly span: TimeSpan = new TimeSpan();
  /** The recent activity. */
  readonly activity: ActivityTail = new ActivityTail();
  /** Tool calls without a result, by call id, oldest first. */
  readonly pending: Map<string, ToolCall> = new Map();
  /** Rate-limit windows, newest reading per window name. */
  readonly rateLimits: Map<string, RateLimit> = new Map();
  /** Files the session changed. */
  readonly changed: ChangedFiles = new ChangedFiles();
  /** Where the turn stands. */
  turn: TurnState = "unknown";
  /** Stop reason of the newest response, in the agent's words. */
  stopReason: string | null = null;
  /** Lines (or records) that could not be read. */
  malformed = 0;
  /** The first prompt the user typed, raw. */
  firstPrompt: string | null = null;
  /** The newest prompt the user typed, raw. */
  lastPrompt: string | null = null;
  /** While a limit error is the newest event: when it resets (null when not said). */
  limitedUntil: number | null = null;
  /** When the newest request to the model was sent (ms since epoch). */
  lastRequestAt: number | null = null;
  /** The files each editing call in flight changes, by call id. */
  #edits = new Map<string, readonly string[]>();
  /** What each question call asks the user (`question: …`), by its key in {@linkcode pending}. */
  #questions = new Map<string, string>();

  /**
   * Hands one JSONL line (or a parsed record) to `read` when it is a JSON object, and counts it as
   * malformed when it is not or `read` threw on it (see {@linkcode feedJsonLine}). Pass a `read`
   * made once, not a new closure per line.
   */
  feed(line: unknown, read: (rec: JsonObject) => void, skip?: (line: string) => boolean): void {
    const bad = feedJsonLine(line, read, skip); // first: `read` may count malformed records itself
    this.malformed += bad;
  }

  /** A prompt the user typed at `at`: the first and newest prompt, and a `prompt` event. */
  prompt(at: number | null, text: string): void {
    this.lastPrompt = text;
    this.firstPrompt ??= text;
    this.activity.push(at, "prompt", text);
  }

  /**
   * A tool call made at `at`: a `tool` event, and a call in flight under `key` (its `id`, unless the
   * call has none and the parser keys it otherwise; no key: not tracked). Returns the argument as
   * shown (one clean line).
   */
  toolCall(at: number | null, name: string, arg: string, id: string | null, key = id): string {
    const shown = cleanLine(arg, ACTIVITY_WIDTH);
    if (key !== null) this.pending.set(key, { name, arg: shown, id, startedAt: at });
    this.activity.push(at, "tool", shown ? `${name}: ${shown}` : name);
    return shown;
  }

  /**
   * The call in flight under `key` asks the user `question` (see `questionAsked`): until it has its
   * result, the session waits for the answer.
   */
  asks(key: string, question: string): void {
    for (const k of this.#questions.keys()) if (!this.pending.has(k)) this.#questions.delete(k);
    this.#questions.set(key, question);
  }

  /**
   * The call in flight under `key` may be held for the user's approval before it runs (see
   * `ToolCall.asksFirst`).
   */
  mayAsk(key: string): void {
    const call = this.pending.get(key);
    if (call) call.asksFirst = true;
  }

  /** The question of the newest call in flight that asks one, or null. */
  openQuestion(): string | null {
    let open: string | null = null;
    for (const key of this.pending.keys()) open = this.#questions.get(key) ?? open;
    return open;
  }

  /** The turn ended: the user is next and no tool is in flight. */
  endTurn(): void {
    this.turn = "ended";
    this.pending.clear();
  }

  /** Sets the turn unless the session exited (a late record does not reopen it). */
  unlessExited(turn: TurnState): void {
    if (this.turn !== "exited") this.turn = turn;
  }

  /** A request was sent at `at`; returns true when it is the newest so far. */
  requested(at: number | null): boolean {
    if (at === null || at < (this.lastRequestAt ?? -Infinity)) return false;
    this.lastRequestAt = at;
    return true;
  }

  /**
   * A limit message (see `limitNotice`): the session is limited until the reset it names (null: not
   * said), and its window, when the reset is known, is full until then.
   */
  limitHit(notice: LimitNotice): void {
    this.limitedUntil = notice.resetsAt;
    if (notice.resetsAt === null) return;
    this.rateLimits.set(notice.window, {
      name: notice.window,
      usedPercent: 100,
      windowMinutes: notice.windowMinutes,
      resetsAt: notice.resetsAt,
      plan: null,
    });
  }

  /** When every full rate-limit window (100 % used) has reset; null when none is full or tells its reset. */
  fullWindowsReset(): number | null {
    let reset: number | null = null;
    for (const r of this.rateLimits.values()) {
      if ((r.usedPercent ?? 0) >= 100 && r.resetsAt !== null) reset = Math.max(reset ?? 0, r.resetsAt);
    }
    return reset;
  }

  /**
   * An editing call in flight (tracked in {@linkcode pending} under `id`) will change `files`. Edits
   * of calls that ended without a result (an interrupted turn) are forgotten here.
   */
  startEdit(id: string, files: readonly string[]): void {
    for (const call of this.#edits.keys()) if (!this.pending.has(call)) this.#edits.delete(call);
    this.#edits.set(id, files);
  }

  /** The files the editing call `id` was to change, now that it has its result; undefined for other calls. */
  endEdit(id: string): readonly string[] | undefined {
    const files = this.#edits.get(id);
    if (files !== undefined) this.#edits.delete(id);
    return files;
  }

  /** Files changed by a call that went through; relative paths are taken from `cwd`. */
  changeFiles(files: readonly string[], cwd: string | null): void {
    for (const f of files) this.changed.add(f, cwd);
  }

  /** The rate-limit facts: windows (copies), when the limit resets, when the newest request went. */
  limitFacts(): LimitFacts {
    return {
      rateLimits: [...this.rateLimits.values()].map((r) => ({ ...r })),
      limitedUntil: this.limitedUntil,
      lastRequestAt: this.lastRequestAt,
    };
  }

  /**
   * The session's facts in {@linkcode SessionFacts} order: what this state holds (prompts, tool in
   * flight, turn, times, activity, malformed lines), with `own` (what the parser knows: id, tokens,
   * …) filled in over it and its further fields after. Fields `own` leaves out are empty. An open
   * question ({@linkcode asks}) is what the session waits for.
   */
  facts(own: Partial<SessionRead>): SessionRead {
    const question = this.openQuestion();
    return {
      id: "",
      cwd: null,
      gitBranch: null,
      title: promptLine(this.firstPrompt),
      model: null,
      lastPrompt: promptLine(this.lastPrompt),
      currentTask: null,
      currentTool: newestCall(this.pending),
      subagents: [],
      turn: this.turn,
      stopReason: this.stopReason,
      startedAt: this.span.first,
      lastActivity: this.span.last,
      tokens: emptyTokens(),
      tokensByModel: {},
      contextTokens: null,
      contextWindow: null,
      activity: this.activity.events(),
      malformedLines: this.malformed,
      ...(question === null ? {} : { waitingFor: question }),
      ...own,
    };
  }
}
