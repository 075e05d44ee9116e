/**
 * The built-in vendors, one file each.
 *
 * @module
 */

import type { Vendor } from "../vendor.ts";
import { aider } from "./aider/mod.ts";
import { amp } from "./amp/mod.ts";
import { antigravity } from "./antigravity/mod.ts";
import { auggie } from "./auggie/mod.ts";
import { claude } from "./claude/mod.ts";
import { codebuff } from "./codebuff/mod.ts";
import { codex } from "./codex/mod.ts";
import { continueCli } from "./continue/mod.ts";
import { copilot } from "./copilot/mod.ts";
import { crush } from "./crush/mod.ts";
import { cursor } from "./cursor/mod.ts";
import { droid } from "./droid/mod.ts";
import { gemini } from "./gemini/mod.ts";
import { goose } from "./goose/mod.ts";
import { grok } from "./grok/mod.ts";
import { hermes } from "./hermes/mod.ts";
import { kilo } from "./kilo/mod.ts";
import { kimi } from "./kimi/mod.ts";
import { omp } from "./omp/mod.ts";
import { openclaw } from "./openclaw/mod.ts";
import { opencode } from "./opencode/mod.ts";
import { pi } from "./pi/mod.ts";
import { qwen } from "./qwen/mod.ts";

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
  pi,
  omp,
  grok,
  codebuff,
  openclaw,
  kimi,
  hermes,
  antigravity,
];
