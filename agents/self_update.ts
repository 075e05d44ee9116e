/**
 * An agent updating itself: a global install of its own npm package run as its child (Qwen Code and
 * Gemini CLI do this at start unless told not to), told apart from the commands its tools run.
 *
 * @module
 */

import { branchPids, type ChildRef } from "./child_tree.ts";

/** Package managers and the words that make their command a global install. */
const MANAGERS = new Set(["npm", "npm-cli.js", "pnpm", "pnpm.cjs", "yarn", "yarn.js", "bun"]);
const INSTALL = new Set(["install", "i", "add", "update", "upgrade", "up"]);
const GLOBAL = new Set(["-g", "--global", "global"]);

/**
 * True when `argv` installs one of `packages` globally (`npm install --global @qwen-code/qwen-code@0.15.11`,
 * `pnpm add -g …`, `bun add -g …`, `yarn global add …`), directly, through `node …/npm-cli.js` or
 * through a shell's `-c` script.
 *
 * @example
 * ```ts
 * isSelfUpdate(["npm", "install", "--global", "@qwen-code/qwen-code@latest"], ["@qwen-code/qwen-code"]); // true
 * isSelfUpdate(["npm", "install", "left-pad"], ["@qwen-code/qwen-code"]); // false
 * ```
 */
export function isSelfUpdate(argv: readonly string[], packages: readonly string[]): boolean {
  if (packages.length === 0) return false;
  const words = argv.flatMap((a) => a.split(/[\s'"]+/)).filter(Boolean);
  const manager = words.findIndex((w) => MANAGERS.has(w.slice(w.lastIndexOf("/") + 1)));
  if (manager === -1) return false;
  const rest = words.slice(manager + 1);
  return rest.some((w) => INSTALL.has(w)) && rest.some((w) => GLOBAL.has(w)) &&
    rest.some((w) => packages.some((p) => w === p || w.startsWith(`${p}@`)));
}

/**
 * The pids among `children` (an agent's descendants) that update the agent: each self-update
 * ({@linkcode isSelfUpdate}) and everything below it.
 *
 * @example
 * ```ts
 * const kids = [
 *   { pid: 10, ppid: 1, argv: ["npm", "install", "-g", "@google/gemini-cli@0.62.0"] },
 *   { pid: 11, ppid: 10, argv: ["sh", "-c", "node install.js"] },
 *   { pid: 12, ppid: 1, argv: ["bash", "-c", "npm test"] },
 * ];
 * updaterPids(kids, ["@google/gemini-cli"]); // Set { 10, 11 }
 * ```
 */
export function updaterPids(children: readonly ChildRef[], packages: readonly string[]): Set<number> {
  if (packages.length === 0) return new Set();
  return branchPids(children, (argv) => isSelfUpdate(argv, packages));
}
