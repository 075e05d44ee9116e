/**
 * What a history read (`agtop report`) takes of each Claude Code transcript line, told without parsing
 * it. A report needs a session's usage, times, models and title; most of a transcript's bytes are tool
 * results, and most of its lines repeat a response once per content block with the same usage. So:
 * a line of tool results gives only its time; a repeated copy of the response just read gives only its
 * time; once the first prompt is known, so does every user line; a long line of another kind is parsed
 * with its long strings cut short; prompts before it are read whole.
 *
 * It reads the fields where Claude Code writes them. Claude Code 2.1 writes a record's `message` before
 * its `uuid` and `timestamp` (and a response's `requestId`), its `type` before the message on user lines
 * only, and a tool result's structured `toolUseResult` after its time; a response's message opens on
 * its `id`, its usage last. Records with the top-level fields first are read too. In a JSON text a quote
 * inside a string is always escaped, so `"type":"user"` found outside a string is a real key. A line
 * that does not look as expected is parsed whole.
 *
 * A user line's time comes after its message (and before a result that may be as large), so a line
 * taken for its time alone is not searched for it: its time is read only if it turns out to be the
 * transcript's newest (no later line has a time) — times in a transcript only grow.
 *
 * @module
 */

import { timestamp, timestampAt } from "../../formats/records.ts";
import { cutLongStrings } from "../../formats/long_strings.ts";

/** Lines up to this many characters are parsed as they are (judging them costs more than it saves). */
const JUDGED_CHARS = 512;
/** Lines of other kinds longer than this have their long strings cut before parsing. */
const CUT_LINE_CHARS = 2048;
/** Strings of a cut line keep this many characters. */
const KEPT_STRING_CHARS = 512;
/** A record's message starts within this many characters of the line's start. */
const HEAD_CHARS = 1024;
const MESSAGE = '"message":{';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const REQUEST_ID = '"requestId":"';
const ID = '"id":"';
const MODEL = '"model":"';
const USAGE = '"usage":{';
const TIMESTAMP = '"timestamp":"';
/** A user message whose content opens on a tool result (its keys in either order Claude Code wrote). */
const RESULT_MESSAGE = /"message":\{"role":"user","content":\[\{(?:"type":"tool_result"|"tool_use_id":")/y;

/**
 * A new response as a history read takes it from its line, without parsing the line: its ids, model,
 * thread and time, and its usage object parsed alone; `line` to parse instead when more is needed.
 */
export interface Reply {
  at: number | null;
  requestId: string;
  id: string;
  model: string;
  sidechain: boolean;
  usage: Record<string, unknown>;
  line: string;
}

/** What tells one response from another in an assistant line, each part as written. */
interface Response {
  requestId: string;
  sidechain: boolean;
  id: string;
  model: string;
  /** Its `usage` object, key and all. */
  usage: string;
}

/**
 * Judges the lines of one transcript, in file order, for a history read: {@linkcode HistoryLines.take}
 * says what of each line to parse. One per transcript file (it remembers the response read last, and
 * the newest line taken for its time alone).
 *
 * @example
 * ```ts
 * const lines = new HistoryLines();
 * const result = '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t1","type":"tool_result","content":"' +
 *   "x".repeat(2000) + '"}]},"uuid":"u1","timestamp":"2026-11-24T10:00:09.000Z"}';
 * lines.take(result, true, true); // undefined: its time alone, read only if no later line has one
 * lines.newestTime(); // 1795514409000
 * ```
 */
export class HistoryLines {
  /** The response of the last new assistant line (its copies follow it). */
  #response: Response | null = null;
  /** The newest line taken for its time alone whose time is not read yet. */
  #untimed: string | null = null;

  /**
   * What to do with `line`: a string is the line to parse (itself, or with its long strings cut); a
   * number is its time alone (null: its time does not parse); undefined is its time alone, read later
   * if needed ({@linkcode HistoryLines.newestTime}); a {@linkcode Reply} is a new response, read
   * without parsing the line (what a report takes of it, and the line to parse for the rest).
   * `prompted`: the transcript's first prompt (its title when it has no other) is known, so its user
   * lines say nothing more a report shows. `timed`: some line had a time already (else a line's time is
   * read at once: it is the transcript's first).
   */
  take(line: string, prompted = false, timed = true): string | number | null | undefined | Reply {
    if (line.length <= JUDGED_CHARS && !prompted) return line;
    const message = line.indexOf(MESSAGE);
    if (message !== -1 && message < HEAD_CHARS && topLevel(line, message)) {
      const type = line.lastIndexOf('"type":"', message);
      if (type !== -1 && line.startsWith('user"', type + 8)) {
        RESULT_MESSAGE.lastIndex = message;
        // A result's own record (as large as the result) may follow its time: no search after it.
        if (RESULT_MESSAGE.test(line)) return this.#timeOnly(line, message, null, timed);
        return prompted ? this.#timeOnly(line, message, message, timed) : line;
      }
      if (line.length > JUDGED_CHARS && line.startsWith(ID, message + MESSAGE.length)) {
        const usage = usageAt(line, message);
        if (this.#response && repeats(line, message, usage, this.#response)) {
          return this.#timeOnly(line, message, usage.end, timed);
        }
        const response = this.#response = responseOf(line, message, usage);
        const at = response && recordTime(line, message, usage.end);
        const parsed = response && at !== undefined && readable(line, response) && usageOf(response);
        if (parsed) {
          return {
            at: at ?? null,
            requestId: own(response.requestId),
            id: own(response.id),
            model: own(response.model),
            sidechain: response.sidechain,
            usage: parsed,
            line: whole(line),
          };
        }
      }
    }
    return whole(line);
  }

  /** A line with a time of its own was read: lines taken for their time alone before it are older. */
  timeSeen(): void {
    this.#untimed = null;
  }

  /**
   * The time of the newest line taken for its time alone, when no line read after it had one (null: it
   * does not parse); undefined when there is none.
   */
  newestTime(): number | null | undefined {
    const line = this.#untimed;
    if (line === null) return undefined;
    this.#untimed = null;
    try {
      const rec = JSON.parse(cutLongStrings(line, KEPT_STRING_CHARS));
      return typeof rec === "object" && rec !== null ? timestamp(rec.timestamp) : null;
    } catch {
      return null;
    }
  }

  /**
   * `line`'s time alone ({@linkcode recordTime}); when not found there, left for
   * {@linkcode HistoryLines.newestTime} unless no line had a time yet. A line left so before it, with no
   * time read since, is read now (its time returned): results may finish out of order.
   */
  #timeOnly(line: string, message: number, after: number | null, timed: boolean): number | null | undefined {
    const at = recordTime(line, message, after);
    if (at !== undefined) return at;
    const older = this.#untimed === null ? undefined : this.newestTime();
    this.#untimed = line;
    if (older !== undefined) return older;
    return timed ? undefined : this.newestTime();
  }
}

/**
 * `text` in memory of its own: a string cut from a line keeps the whole text the line was read from
 * (megabytes) for as long as it lives, and the ledger keeps a response's ids and model for the session.
 */
function own(text: string): string {
  return (" " + text).slice(1);
}

/** `line` to parse: itself, or with its long strings cut when it is long. */
function whole(line: string): string {
  return line.length > CUT_LINE_CHARS ? cutLongStrings(line, KEPT_STRING_CHARS) : line;
}

/**
 * Whether a new response read in place says what parsing it would: no escape in its ids or model (the
 * text as written is then the value), not Claude Code's own error message (parsed whole).
 */
function readable(line: string, r: Response): boolean {
  return !`${r.requestId}${r.id}${r.model}`.includes("\\") && r.model !== "<synthetic>" &&
    !line.includes('"isApiErrorMessage":true');
}

/** A response's usage object, parsed alone; null when it does not parse to an object. */
function usageOf(r: Response): Record<string, unknown> | null {
  try {
    const usage = JSON.parse(r.usage.slice(USAGE.length - 1));
    return typeof usage === "object" && usage !== null && !Array.isArray(usage) ? usage : null;
  } catch {
    return null;
  }
}

/**
 * The record's own time (null: it does not parse): written before its message at `message`, else the
 * last one after `after` (its message, or its usage) when the record ends in a few fields of its own;
 * `after` null for a record whose own fields after its message may be large (a tool result's
 * `toolUseResult`): not searched. Undefined when not found.
 */
function recordTime(line: string, message: number, after: number | null): number | null | undefined {
  const before = line.lastIndexOf(TIMESTAMP, message);
  if (before !== -1) return timeValue(line, before, message);
  if (after === null) return undefined;
  const last = line.lastIndexOf(TIMESTAMP);
  return last > after ? timeValue(line, last, line.length) : undefined;
}

/** The time whose key `"timestamp":"` is at `at`, its value closing before `limit`; null when it does not. */
function timeValue(line: string, at: number, limit: number): number | null {
  const end = line.indexOf('"', at + TIMESTAMP.length);
  return end === -1 || end > limit ? null : timestampAt(line, at + TIMESTAMP.length, end);
}

/** Where a response's `usage` object starts (its key) and ends (its closing brace); -1 when not found. */
interface Span {
  start: number;
  end: number;
}

/** The span of the `usage` object of the response whose message opens at `message`. */
function usageAt(line: string, message: number): Span {
  const start = line.lastIndexOf(USAGE);
  if (start < message) return { start: -1, end: -1 };
  return { start, end: closingBrace(line, start + USAGE.length - 1) };
}

/**
 * Whether the key at `at` is one of the record's own, not of an object inside it (a progress record
 * carries a subagent's message in its `data`): one brace open before it, strings skipped.
 */
function topLevel(line: string, at: number): boolean {
  // Most records open no brace before their message: the next brace after the record's own is its.
  if (line.indexOf("{", 1) === at + MESSAGE.length - 1) return line.charCodeAt(0) === OPEN;
  let depth = 0;
  for (let i = 0; i < at; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < at && line.charCodeAt(i) !== QUOTE; i++) if (line.charCodeAt(i) === BACKSLASH) i++;
    } else if (c === OPEN) depth++;
    else if (c === CLOSE) depth--;
  }
  return depth === 1;
}

/** The index of the `}` closing the object whose `{` is at `open` (strings skipped); -1 when it does not close. */
function closingBrace(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < line.length && line.charCodeAt(i) !== QUOTE; i++) {
        if (line.charCodeAt(i) === BACKSLASH) i++;
      }
    } else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i;
  }
  return -1;
}

/** The string value at `at` (the index of its opening quote), or null when it does not close. */
function valueAt(line: string, at: number): string | null {
  const end = line.indexOf('"', at + 1);
  return end === -1 ? null : line.slice(at + 1, end);
}

/** Where the response's `requestId` key is: before its message, else after it (after its usage). */
function requestIdAt(line: string, message: number, usage: Span): number {
  const before = line.lastIndexOf(REQUEST_ID, message);
  if (before !== -1) return before;
  const after = line.lastIndexOf(REQUEST_ID);
  return after > usage.end ? after : -1;
}

/**
 * The response of an assistant line whose message opens at `message` (on its id): null when a part is
 * not found where expected (the line is then parsed whole, and its copies too).
 */
function responseOf(line: string, message: number, usage: Span): Response | null {
  const request = requestIdAt(line, message, usage);
  const model = line.indexOf(MODEL, message);
  if (request === -1 || model === -1 || usage.end === -1) return null;
  const requestId = valueAt(line, request + REQUEST_ID.length - 1);
  const id = valueAt(line, message + MESSAGE.length + ID.length - 1);
  const modelValue = valueAt(line, model + MODEL.length - 1);
  if (requestId === null || id === null || modelValue === null) return null;
  const flag = line.lastIndexOf('"isSidechain":', message);
  return {
    requestId,
    sidechain: flag !== -1 && line.startsWith("true", flag + 14),
    id,
    model: modelValue,
    usage: line.slice(usage.start, usage.end + 1),
  };
}

/**
 * Whether the assistant line whose message opens at `message` is a copy of `response`, compared in
 * place, nothing cut out of it (most assistant lines are copies).
 */
function repeats(line: string, message: number, usage: Span, response: Response): boolean {
  if (usage.end === -1 || usage.end + 1 - usage.start !== response.usage.length) return false;
  if (!line.startsWith(response.usage, usage.start)) return false;
  const flag = line.lastIndexOf('"isSidechain":', message);
  return (flag !== -1 && line.startsWith("true", flag + 14)) === response.sidechain &&
    valueIs(line, requestIdAt(line, message, usage), REQUEST_ID, response.requestId) &&
    valueIs(line, message + MESSAGE.length, ID, response.id) &&
    valueIs(line, line.indexOf(MODEL, message), MODEL, response.model);
}

/** Whether the string value after `key`, found at `found` (-1: not found), is `value`. */
function valueIs(line: string, found: number, key: string, value: string): boolean {
  const at = found + key.length;
  return found !== -1 && line.startsWith(value, at) && line.charCodeAt(at + value.length) === QUOTE;
}
