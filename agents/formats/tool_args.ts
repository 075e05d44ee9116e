/**
 * The one argument of a tool call a user wants to see, for agents whose tools name it by a common
 * key (`command`, `path`, `pattern`, …).
 *
 * @module
 */

import { isObject, type JsonObject } from "./records.ts";

/** The keys most tools name their one argument by, most telling first. */
export const ARG_KEYS: readonly string[] = [
  "command",
  "path",
  "file_path",
  "filePath",
  "pattern",
  "query",
  "url",
  "description",
  "prompt",
];

/**
 * The first of `keys` in `input` that holds a non-empty string, else the first non-empty string value,
 * else "". A string `input` is the argument itself.
 *
 * @example
 * ```ts
 * firstArg({ description: "lint", command: "npm run lint" }, ["command", "description"]); // "npm run lint"
 * firstArg({ timeout: 5, target: "api" }, ["command"]); // "api"
 * ```
 */
export function firstArg(input: unknown, keys: readonly string[]): string {
  if (typeof input === "string") return input;
  if (!isObject(input)) return "";
  for (const k of keys) if (typeof input[k] === "string" && input[k]) return input[k] as string;
  for (const v of Object.values(input)) if (typeof v === "string" && v) return v;
  return "";
}

/**
 * The string at `key` of a tool's input, or "".
 *
 * @example
 * ```ts
 * stringArg({ command: "npm test", timeout: 5 }, "command"); // "npm test"
 * stringArg({ timeout: 5 }, "timeout"); // ""
 * ```
 */
export function stringArg(input: JsonObject, key: string): string {
  const v = input[key];
  return typeof v === "string" ? v : "";
}

/**
 * A subagent call's argument: its description, with the subagent type in parentheses when given.
 *
 * @example
 * ```ts
 * subagentArg({ description: "Probe", subagent_type: "general-purpose" }); // "Probe (general-purpose)"
 * ```
 */
export function subagentArg(input: JsonObject): string {
  const type = stringArg(input, "subagent_type");
  const description = stringArg(input, "description");
  return type ? `${description} (${type})` : description;
}

/**
 * A todo-list call's argument: the item in progress (the first of `fields` it has), else how many items
 * the list holds.
 *
 * @example
 * ```ts
 * todoArg({ todos: [{ content: "Fix tests", status: "in_progress" }] }, ["activeForm", "content"]); // "Fix tests"
 * todoArg({ todos: [{ content: "Ship", status: "pending" }] }, ["content"]); // "1 todos"
 * ```
 */
export function todoArg(input: JsonObject, fields: readonly string[]): string {
  const todos = Array.isArray(input.todos) ? input.todos : [];
  const active = todos.find((t) => isObject(t) && t.status === "in_progress") as JsonObject | undefined;
  if (!active) return `${todos.length} todos`;
  for (const f of fields) if (active[f] !== undefined && active[f] !== null) return String(active[f]);
  return "";
}
