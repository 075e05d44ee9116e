/**
 * Whether an agent runs without permission checks: the bypass flags on its command line, and `sudo`
 * above it in the process tree.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import { commandName } from "./recognise.ts";

/** Flags that turn permission checks off on their own. */
const FLAGS: ReadonlySet<string> = new Set([
  "--dangerously-skip-permissions", // Claude Code
  "--dangerously-bypass-approvals-and-sandbox", // Codex
  "--yolo", // Codex, Gemini CLI, Qwen Code, Copilot CLI, Crush
  "-y", // Gemini CLI, Qwen Code, Crush: short for --yolo
  "--allow-dangerous",
  "--no-permissions",
  "--allow-all-tools", // Copilot CLI
  "--allow-all", // Copilot CLI
  "--yes-always", // Aider
  "--dangerously-allow-all", // Amp
  "--skip-permissions-unsafe", // Factory Droid
]);

/** Options whose value turns permission checks off (`--opt value` or `--opt=value`). */
const VALUES: ReadonlyMap<string, string> = new Map([
  ["--permission-mode", "bypassPermissions"], // Claude Code
  ["--sandbox", "danger-full-access"], // Codex
  ["-s", "danger-full-access"], // Codex
  ["--approval-mode", "yolo"], // Gemini CLI, Qwen Code
]);

/**
 * The permission-bypass flags in an agent's argv, as written (`--permission-mode bypassPermissions` for
 * an option and its value), plus `sudo` when an ancestor process is sudo. Codex's `--full-auto` keeps
 * a sandbox and is not one. Arguments after `--` are not flags.
 *
 * @example
 * ```ts
 * dangerousFlags(["claude", "--dangerously-skip-permissions"], []); // ["--dangerously-skip-permissions"]
 * dangerousFlags(["codex", "-s", "danger-full-access"], [sudo]); // ["-s danger-full-access", "sudo"]
 * ```
 */
export function dangerousFlags(argv: readonly string[], ancestors: readonly ProcessInfo[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < argv.length && argv[i] !== "--"; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    if (FLAGS.has(arg)) found.push(arg);
    else if (VALUES.has(arg) && argv[i + 1] === VALUES.get(arg)) found.push(`${arg} ${argv[++i]}`);
    else if (eq > 0 && VALUES.get(arg.slice(0, eq)) === arg.slice(eq + 1)) found.push(arg);
  }
  if (ancestors.some((p) => commandName(p.name) === "sudo")) found.push("sudo");
  return found;
}
