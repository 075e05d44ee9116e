/**
 * Reading tool calls out of whole transcripts for `agtop report tools`: calls paired with their results
 * by call id, MCP tool names split into server and tool, and a JSONL file read record by record.
 *
 * @module
 */

import type { ToolCallRecord } from "../vendor.ts";
import { JsonlTail } from "./jsonl.ts";
import { feedJsonLine, isObject, type JsonObject, timestamp } from "./records.ts";
import { cutLongStrings } from "./long_strings.ts";

/**
 * The calls of one transcript, paired with their results by call id. A result whose call is not known
 * (cut off by a compaction, in another file) is ignored; a second call with a known id is too.
 *
 * @example
 * ```ts
 * const log = new ToolCallLog();
 * log.call("c1", "Bash", 1_000);
 * log.result("c1", 3_000, true);
 * log.records(); // [{ name: "Bash", server: null, startedAt: 1000, endedAt: 3000, answered: true, failed: true }]
 * ```
 */
export class ToolCallLog {
  #byId = new Map<string, ToolCallRecord>();
  #calls: ToolCallRecord[] = [];

  /** A call made at `at`; an MCP name (`mcp__server__tool`) is split unless `server` is given. */
  call(id: string, name: string, at: number | null, server: string | null = null): void {
    if (this.#byId.has(id)) return;
    const split = server === null ? mcpTool(name) : null;
    const rec: ToolCallRecord = {
      name: split?.name ?? name,
      server: split?.server ?? server,
      startedAt: at,
      endedAt: null,
      answered: false,
      failed: false,
    };
    this.#byId.set(id, rec);
    this.#calls.push(rec);
  }

  /** The result of call `id`, recorded at `at`: the call ends then (or later), failed when `failed`. */
  result(id: string, at: number | null, failed: boolean): void {
    const rec = this.#byId.get(id);
    if (!rec) return;
    rec.answered = true;
    if (at !== null && (rec.endedAt === null || at > rec.endedAt)) rec.endedAt = at;
    if (failed) rec.failed = true;
  }

  /** Whether a call with this id was made. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every call, in the order they were made. */
  records(): ToolCallRecord[] {
    return this.#calls;
  }
}

/**
 * The server and tool of an MCP tool named `mcp__<server>__<tool>` (Claude Code, Codex, Qwen Code), or
 * null for any other name.
 *
 * @example
 * ```ts
 * mcpTool("mcp__github__search_issues"); // { server: "github", name: "search_issues" }
 * mcpTool("Bash"); // null
 * ```
 */
export function mcpTool(name: string): { server: string; name: string } | null {
  const m = /^mcp__(.+?)__(.+)$/.exec(name);
  return m ? { server: m[1], name: m[2] } : null;
}

/**
 * Hands every JSON object line of the JSONL file at `path` to `read`, in file order (at most
 * {@linkcode MAX_TOOL_FILE_BYTES}), its long strings cut where `options` asks; malformed lines are
 * skipped. A missing file reads as nothing.
 *
 * @example
 * ```ts
 * let lines = 0;
 * readJsonlRecords("/home/me/.pi/agent/sessions/--w--/s.jsonl", () => lines++);
 * ```
 */
export function readJsonlRecords(
  path: string,
  read: (rec: JsonObject) => void,
  options: RecordOptions = {},
): void {
  const tail = new JsonlTail(path);
  const keep = options.keepChars;
  const feed = keep === undefined
    ? (line: string) => feedJsonLine(line, read)
    : (line: string) => feedJsonLine(cutLongStrings(line, keep), read);
  let bytes = 0;
  while (bytes < MAX_TOOL_FILE_BYTES) {
    const r = tail.read(feed);
    if (r.bytes === 0) break;
    bytes += r.bytes;
  }
}

/** How {@linkcode readJsonlRecords} reads records. */
export interface RecordOptions {
  /**
   * Strings longer than this many characters are cut to it before a line is parsed, for readers that
   * need ids, names, flags and times, not the text of tool inputs and outputs (parsing those costs most
   * of the read). By default lines are parsed whole.
   */
  keepChars?: number;
}

/** Most bytes of one transcript read for its tool calls. */
export const MAX_TOOL_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * The tool calls of the JSONL transcript at `path`: each record is handed to `read` with the log to
 * note calls and results in and the record's `timestamp` (ms, or null); `options` as for
 * {@linkcode readJsonlRecords}.
 *
 * @example
 * ```ts
 * const calls = loggedCalls("/home/me/.copilot/session-state/471d/events.jsonl", (rec, log, at) => {
 *   if (rec.type === "call") log.call(String(rec.id), String(rec.name), at);
 * });
 * ```
 */
export function loggedCalls(
  path: string,
  read: (rec: JsonObject, log: ToolCallLog, at: number | null) => void,
  options: RecordOptions = {},
): ToolCallRecord[] {
  const log = new ToolCallLog();
  readJsonlRecords(path, (rec) => read(rec, log, timestamp(rec.timestamp)), options);
  return log.records();
}

/**
 * How to read the lines {@linkcode anthropicToolBlocks} is given: it reads ids, names, flags and times,
 * none of them long, so strings are cut before parsing.
 */
export const TOOL_BLOCK_LINES: RecordOptions = { keepChars: 256 };

/**
 * The `tool_use` blocks (calls) and `tool_result` blocks (results; `is_error` marks a failure) of an
 * Anthropic-style message content list, as Claude Code and Factory Droid write them, noted at `at`.
 *
 * @example
 * ```ts
 * const log = new ToolCallLog();
 * anthropicToolBlocks(log, [{ type: "tool_use", id: "t1", name: "Bash", input: {} }], 1_000);
 * anthropicToolBlocks(log, [{ type: "tool_result", tool_use_id: "t1", is_error: true }], 2_000);
 * log.records()[0].failed; // true
 * ```
 */
export function anthropicToolBlocks(log: ToolCallLog, content: unknown, at: number | null): void {
  if (!Array.isArray(content)) return;
  for (const b of content) {
    if (!isObject(b)) continue;
    if (b.type === "tool_use" && typeof b.id === "string" && typeof b.name === "string") {
      log.call(b.id, b.name, at);
    } else if (b.type === "tool_result" && typeof b.tool_use_id === "string") {
      log.result(b.tool_use_id, at, b.is_error === true);
    }
  }
}
