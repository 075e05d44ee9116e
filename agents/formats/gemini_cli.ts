/**
 * What Gemini CLI and its fork Qwen Code share beyond the Gemini-API shapes: their tool set (which
 * argument of a call a user wants to see, which tools run subagents) and a token ledger for chat files
 * that write a message again as it grows (its last copy counts).
 *
 * @module
 */

import type { TokenBuckets } from "../session.ts";
import { addTokens, emptyTokens, modelTable } from "../session.ts";
import { isObject, type JsonObject } from "./records.ts";
import { type UsageFacts, usageTimeline } from "./timeline.ts";

/** Token totals of one source in a {@linkcode MessageLedger}. */
export interface LedgerTotals {
  /** Every bucket summed. */
  total: TokenBuckets;
  /** The same per model id. */
  byModel: Record<string, TokenBuckets>;
}

interface LedgerEntry {
  source: string;
  model: string;
  tokens: TokenBuckets;
  /** When the message was written (ms since epoch), when known. */
  at: number | null;
}

/**
 * Token totals over messages that may be written several times: each message id counts once, with
 * its last copy. Entries are never dropped by a rewind: those API calls were made (and billed). With
 * the messages' times, also their usage over time ({@linkcode MessageLedger.usage}).
 *
 * @example
 * ```ts
 * const ledger = new MessageLedger();
 * ledger.set("m1", "main", "gemini-2.5-pro", { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
 * ledger.set("m1", "main", "gemini-2.5-pro", { input: 10, output: 7, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
 * ledger.totals().total.output; // 7
 * ```
 */
export class MessageLedger {
  #entries = new Map<string, LedgerEntry>();
  #sources = new Map<string, LedgerTotals>();
  #history: boolean;
  #version = 0;
  #usage: { version: number; sources: string; value: UsageFacts } | null = null;

  /** An empty ledger; `options.history` keeps every minute of its usage over time, not only the recent ones. */
  constructor(options: { history?: boolean } = {}) {
    this.#history = options.history ?? false;
  }

  /**
   * Records (or replaces) the usage of message `id`, counted under `source` and `model`, written at `at`
   * (ms since epoch) when known (a copy without a time keeps the earlier copy's).
   */
  set(id: string, source: string, model: string, tokens: TokenBuckets, at: number | null = null): void {
    const prev = this.#entries.get(id);
    if (prev) this.#apply(prev, -1);
    const entry = { source, model, tokens: { ...tokens }, at: at ?? prev?.at ?? null };
    this.#entries.set(id, entry);
    this.#apply(entry, 1);
  }

  /**
   * The usage over time of the messages counted under `sources` (every source by default), per minute:
   * the recent minutes, and every minute for a ledger made with `history`. Recomputed only after the
   * ledger changed.
   */
  usage(sources?: Iterable<string>): UsageFacts {
    const picked = sources === undefined ? null : new Set(sources);
    const key = picked ? [...picked].join("\0") : "*";
    if (this.#usage?.version !== this.#version || this.#usage.sources !== key) {
      const entries = [...this.#entries.values()].filter((e) => !picked || picked.has(e.source));
      this.#usage = { version: this.#version, sources: key, value: usageTimeline(entries, this.#history) };
    }
    return this.#usage.value;
  }

  /** Whether any usage was recorded under `source`. */
  has(source: string): boolean {
    return this.#sources.has(source);
  }

  /** Sources with usage, in the order they first appeared. */
  sources(): string[] {
    return [...this.#sources.keys()];
  }

  /** Totals over the given sources (every source by default); fresh objects. */
  totals(sources: Iterable<string> = this.#sources.keys()): LedgerTotals {
    const out: LedgerTotals = { total: emptyTokens(), byModel: modelTable() };
    for (const s of sources) {
      const t = this.#sources.get(s);
      if (!t) continue;
      addTokens(out.total, t.total);
      for (const [m, b] of Object.entries(t.byModel)) addTokens(out.byModel[m] ??= emptyTokens(), b);
    }
    return out;
  }

  #apply(e: LedgerEntry, sign: 1 | -1): void {
    this.#version++;
    const t = sign === 1 ? e.tokens : scale(e.tokens, -1);
    let totals = this.#sources.get(e.source);
    if (!totals) this.#sources.set(e.source, totals = { total: emptyTokens(), byModel: modelTable() });
    addTokens(totals.total, t);
    addTokens(totals.byModel[e.model] ??= emptyTokens(), t);
  }
}

/** Tool names of the subagent tools in Gemini CLI's and Qwen Code's tool sets. */
export const AGENT_TOOLS: ReadonlySet<string> = new Set(["agent", "task"]);

/**
 * The one argument of a Gemini CLI or Qwen Code tool call a user wants to see, from its `args`.
 *
 * @example
 * ```ts
 * geminiToolArg("run_shell_command", { command: "npm test", description: "Run tests" }); // "npm test"
 * geminiToolArg("read_file", { absolute_path: "/src/a.ts" }); // "/src/a.ts"
 * ```
 */
export function geminiToolArg(name: string, args: JsonObject): string {
  const s = (...keys: string[]) => {
    for (const k of keys) if (typeof args[k] === "string" && args[k]) return args[k] as string;
    return "";
  };
  switch (name) {
    case "run_shell_command":
      return s("command");
    case "read_file":
    case "write_file":
    case "replace":
    case "edit":
      return s("file_path", "absolute_path", "path");
    case "read_many_files": {
      const paths = Array.isArray(args.paths) ? args.paths : Array.isArray(args.include) ? args.include : [];
      return paths.filter((p) => typeof p === "string").join(" ");
    }
    case "list_directory":
      return s("dir_path", "path");
    case "glob":
    case "grep":
    case "grep_search":
    case "search_file_content":
      return s("pattern");
    case "web_fetch":
      return s("url", "prompt");
    case "google_web_search":
    case "web_search":
      return s("query");
    case "save_memory":
      return s("fact");
    case "todo_write": {
      const todos = Array.isArray(args.todos) ? args.todos : [];
      const active = todos.find((t) => isObject(t) && t.status === "in_progress") as JsonObject | undefined;
      return active ? String(active.content ?? active.description ?? "") : `${todos.length} todos`;
    }
  }
  if (AGENT_TOOLS.has(name)) {
    const type = s("subagent_type");
    return type ? `${s("description")} (${type})` : s("description", "prompt");
  }
  const known = s(
    "command",
    "file_path",
    "absolute_path",
    "path",
    "dir_path",
    "pattern",
    "url",
    "query",
    "description",
    "objective",
    "prompt",
  );
  if (known) return known;
  for (const v of Object.values(args)) if (typeof v === "string" && v) return v;
  return "";
}

/** `t` with every bucket multiplied by `k`. */
function scale(t: TokenBuckets, k: number): TokenBuckets {
  return {
    input: t.input * k,
    output: t.output * k,
    cacheRead: t.cacheRead * k,
    cacheWrite: t.cacheWrite * k,
    reasoning: t.reasoning * k,
  };
}
