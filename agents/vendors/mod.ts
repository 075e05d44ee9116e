/**
 * The built-in vendors, one file each.
 *
 * @module
 */

import type { Vendor } from "../vendor.ts";
import { aider } from "./aider.ts";
import { amp } from "./amp.ts";
import { auggie } from "./auggie.ts";
import { claude } from "./claude.ts";
import { codex } from "./codex.ts";
import { continueCli } from "./continue.ts";
import { copilot } from "./copilot.ts";
import { crush } from "./crush.ts";
import { cursor } from "./cursor.ts";
import { droid } from "./droid.ts";
import { gemini } from "./gemini.ts";
import { goose } from "./goose.ts";
import { kilo } from "./kilo.ts";
import { opencode } from "./opencode.ts";
import { qwen } from "./qwen.ts";

/**
 * Every built-in vendor, in match order: the first whose `recognise` returns a role claims the process.
 *
 * @example
 * ```ts
 * const ids = VENDORS.map((v) => v.id); // ["claude", "codex", "gemini", …]
 * ```
 */
export const VENDORS: readonly Vendor[] = [
  claude,
  codex,
  gemini,
  qwen,
  opencode,
  copilot,
  cursor,
  aider,
  goose,
  crush,
  amp,
  continueCli,
  droid,
  auggie,
  kilo,
];
