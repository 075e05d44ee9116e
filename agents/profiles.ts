/**
 * Several profiles of one agent: extra data directories (from the config file's `[data_dirs]`) turned
 * into the environment each agent reads its data directory from, so `ls --all` finds their sessions.
 *
 * @module
 */

import type { Vendor } from "./vendor.ts";
import { VENDORS } from "./vendors/mod.ts";

/**
 * The variable that names each vendor's data directory (its `dataDirEnv`), keyed by vendor id, in
 * vendor order, for the vendors that have one.
 *
 * @example
 * ```ts
 * profileEnvOf([{ id: "mine", label: "Mine", recognise: () => null, dataDirEnv: "MINE_HOME" }]); // { mine: "MINE_HOME" }
 * ```
 */
export function profileEnvOf(vendors: readonly Vendor[]): Record<string, string> {
  return Object.fromEntries(vendors.flatMap((v) => (v.dataDirEnv ? [[v.id, v.dataDirEnv]] : [])));
}

/** The variable that names each agent's data directory, for the built-in agents that have one. */
export const PROFILE_ENV: Readonly<Record<string, string>> = profileEnvOf(VENDORS);

/**
 * One environment per extra directory, keyed by vendor id.
 *
 * @example
 * ```ts
 * profileEnvs({ claude: ["/home/me/.claude-work"] }); // { claude: [{ CLAUDE_CONFIG_DIR: "/home/me/.claude-work" }] }
 * ```
 */
export function profileEnvs(
  dataDirs: Readonly<Record<string, readonly string[]>>,
): Record<string, Record<string, string>[]> {
  const out: Record<string, Record<string, string>[]> = {};
  for (const [vendor, dirs] of Object.entries(dataDirs)) {
    const key = PROFILE_ENV[vendor];
    if (key) out[vendor] = dirs.map((dir) => ({ [key]: dir }));
  }
  return out;
}
