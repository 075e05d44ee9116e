/**
 * Whether an agent runs without permission checks: the bypass flags on its command line, and `sudo`
 * above it in the process tree.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import { commandName } from "./recognise.ts";
import type { Vendor } from "./vendor.ts";
import { VENDORS } from "./vendors/mod.ts";

/** Permission-bypass flags of no one agent in particular, looked for on every agent's command line. */
const COMMON_FLAGS = ["--allow-dangerous", "--no-permissions"];

/** The bypass flags of a set of vendors, merged: any agent's flag counts on every agent's command line. */
export interface Bypasses {
  /** Flags that turn permission checks off on their own. */
  flags: ReadonlySet<string>;
  /** Options whose value turns permission checks off (`--opt value` or `--opt=value`), with those values. */
  values: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The union of the `dangerousFlags` of `vendors`, plus the flags of no one agent.
 *
 * @example
 * ```ts
 * bypassesOf([{ id: "mine", label: "Mine", recognise: () => null, dangerousFlags: { flags: ["--yolo"] } }]).flags.has("--yolo"); // true
 * ```
 */
export function bypassesOf(vendors: readonly Vendor[]): Bypasses {
  const flags = new Set(COMMON_FLAGS);
  const values = new Map<string, Set<string>>();
  for (const { dangerousFlags } of vendors) {
    for (const flag of dangerousFlags?.flags ?? []) flags.add(flag);
    for (const [option, value] of Object.entries(dangerousFlags?.values ?? {})) {
      values.set(option, (values.get(option) ?? new Set()).add(value));
    }
  }
  return { flags, values };
}

/** The bypass flags of the built-in agents. */
const BYPASSES: Bypasses = bypassesOf(VENDORS);

/**
 * The permission-bypass flags in an agent's argv, as written (`--permission-mode bypassPermissions` for
 * an option and its value), plus `sudo` when an ancestor process is sudo. The flags are those of every
 * vendor (`bypasses`, by default the built-in agents'). Arguments after `--` are not flags.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * declare const sudo: ProcessInfo; // an ancestor process named "sudo"
 * dangerousFlags(["claude", "--dangerously-skip-permissions"], []); // ["--dangerously-skip-permissions"]
 * dangerousFlags(["codex", "-s", "danger-full-access"], [sudo]); // ["-s danger-full-access", "sudo"]
 * ```
 */
export function dangerousFlags(
  argv: readonly string[],
  ancestors: readonly ProcessInfo[],
  { flags, values }: Bypasses = BYPASSES,
): string[] {
  const found: string[] = [];
  for (let i = 1; i < argv.length && argv[i] !== "--"; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    if (flags.has(arg)) found.push(arg);
    else if (i + 1 < argv.length && values.get(arg)?.has(argv[i + 1])) found.push(`${arg} ${argv[++i]}`);
    else if (eq > 0 && values.get(arg.slice(0, eq))?.has(arg.slice(eq + 1))) found.push(arg);
  }
  if (ancestors.some((p) => commandName(p.name) === "sudo")) found.push("sudo");
  return found;
}
