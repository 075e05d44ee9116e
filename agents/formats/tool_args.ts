/**
 * The one argument of a tool call a user wants to see, for agents whose tools name it by a common
 * key (`command`, `path`, `pattern`, …).
 *
 * @module
 */

import { isObject } from "./records.ts";

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
