/**
 * What a history read (`agtop report`) takes of each Claude Code transcript line, told without parsing
 * it. A report needs a session's usage, times, models and title; most of a transcript's bytes are tool
 * results, and most of its lines repeat a response once per content block with the same usage. So:
 * a line of tool results gives only its time; a repeated copy of the response just read gives only its
 * time; once the first prompt is known, so does every user line; a long line of another kind is parsed
 * with its long strings cut short; prompts before it are read whole.
 *
 * It relies on how Claude Code writes a record: the top-level `type`, `timestamp` and `requestId` come
 * before the `message`, and in a JSON text a quote inside a string is always escaped, so `"type":"user"`
 * found outside a string is a real key. A line that does not look as expected is parsed whole.
 *
 * @module
 */

import { timestampAt } from "../../formats/records.ts";
import { cutLongStrings } from "../../formats/long_strings.ts";

/** Lines up to this many characters are parsed as they are (judging them costs more than it saves). */
const JUDGED_CHARS = 512;
/** Lines of other kinds longer than this have their long strings cut before parsing. */
const CUT_LINE_CHARS = 2048;
/** Strings of a cut line keep this many characters. */
const KEPT_STRING_CHARS = 512;
/** The record's own fields come before its message, within this many characters of the line's start. */
const HEAD_CHARS = 1024;
const MESSAGE = '"message":{';
const QUOTE = 0x22;
const REQUEST_ID = '"requestId":"';
const ID = '"id":"';
const MODEL = '"model":"';
/** A user message whose content opens on a tool result (its keys in either order Claude Code wrote). */
const RESULT_MESSAGE = /"message":\{"role":"user","content":\[\{(?:"type":"tool_result"|"tool_use_id":")/y;

/** What tells one response from another in an assistant line, each part as written. */
interface Response {
  requestId: string;
  sidechain: boolean;
  id: string;
  model: string;
  /** From its `usage` object to the end of the line. */
  usage: string;
}

/**
 * Judges the lines of one transcript, in file order, for a history read: {@linkcode HistoryLines.take}
 * says what of each line to parse. One per transcript file (it remembers the response read last).
 *
 * @example
 * ```ts
 * const lines = new HistoryLines();
 * const result = '{"timestamp":"2026-11-24T10:00:09.000Z","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"' +
 *   "x".repeat(2000) + '"}]}}';
 * lines.take(result); // 1795514409000 (its time alone)
 * ```
 */
export class HistoryLines {
  /** The response of the last assistant line parsed. */
  #response: Response | null = null;

  /**
   * `line` to parse (itself, or with its long strings cut), or only its time: a number (ms since
   * epoch), or null when its time does not parse. `prompted`: the transcript's first prompt (its title
   * when it has no other) is known, so its user lines say nothing more a report shows.
   */
  take(line: string, prompted = false): string | number | null {
    if (line.length <= JUDGED_CHARS && !prompted) return line;
    const message = line.indexOf(MESSAGE);
    if (message !== -1 && message < HEAD_CHARS) {
      const type = line.lastIndexOf('"type":"', message);
      if (type !== -1 && line.startsWith('user"', type + 8)) {
        if (prompted) return timeOrLine(line, message);
        RESULT_MESSAGE.lastIndex = message;
        return RESULT_MESSAGE.test(line) ? timeOrLine(line, message) : line;
      }
      if (type !== -1 && line.length > JUDGED_CHARS && line.startsWith('assistant"', type + 8)) {
        if (this.#response && repeats(line, message, this.#response)) return timeOrLine(line, message);
        this.#response = responseOf(line, message);
      }
    }
    return line.length > CUT_LINE_CHARS ? cutLongStrings(line, KEPT_STRING_CHARS) : line;
  }
}

/**
 * The record's own time, written before its message at `message` (null when it does not parse); the
 * line itself, to parse whole, when its time is not there.
 */
function timeOrLine(line: string, message: number): string | number | null {
  const at = line.lastIndexOf('"timestamp":"', message);
  if (at === -1) return line;
  const end = line.indexOf('"', at + 13);
  return end === -1 || end > message ? line : timestampAt(line, at + 13, end);
}

/** The string value at `at` (the index of its opening quote), or null when it does not close. */
function valueAt(line: string, at: number): string | null {
  const end = line.indexOf('"', at + 1);
  return end === -1 ? null : line.slice(at + 1, end);
}

/**
 * The response of an assistant line whose message opens at `message`: null when a part is not found
 * where expected (the line is then parsed whole).
 */
function responseOf(line: string, message: number): Response | null {
  const request = line.lastIndexOf(REQUEST_ID, message);
  const id = line.indexOf(ID, message);
  const model = line.indexOf(MODEL, message);
  const usage = line.lastIndexOf('"usage":{');
  if (request === -1 || id === -1 || model === -1 || usage < message) return null;
  const requestId = valueAt(line, request + REQUEST_ID.length - 1);
  const idValue = valueAt(line, id + ID.length - 1);
  const modelValue = valueAt(line, model + MODEL.length - 1);
  if (requestId === null || idValue === null || modelValue === null) return null;
  const flag = line.lastIndexOf('"isSidechain":', message);
  return {
    requestId,
    sidechain: flag !== -1 && line.startsWith("true", flag + 14),
    id: idValue,
    model: modelValue,
    usage: line.slice(usage),
  };
}

/**
 * Whether the assistant line whose message opens at `message` is a copy of `response`, compared in
 * place, nothing cut out of it (most assistant lines are copies). The line ends with the response's
 * usage tail, which holds `"usage":{` once, at its start: so its own tail is the same.
 */
function repeats(line: string, message: number, response: Response): boolean {
  if (line.length - response.usage.length < message || !line.endsWith(response.usage)) return false;
  const flag = line.lastIndexOf('"isSidechain":', message);
  return (flag !== -1 && line.startsWith("true", flag + 14)) === response.sidechain &&
    valueIs(line, line.lastIndexOf(REQUEST_ID, message), REQUEST_ID, response.requestId) &&
    valueIs(line, line.indexOf(ID, message), ID, response.id) &&
    valueIs(line, line.indexOf(MODEL, message), MODEL, response.model);
}

/** Whether the string value after `key`, found at `found` (-1: not found), is `value`. */
function valueIs(line: string, found: number, key: string, value: string): boolean {
  const at = found + key.length;
  return found !== -1 && line.startsWith(value, at) && line.charCodeAt(at + value.length) === QUOTE;
}
