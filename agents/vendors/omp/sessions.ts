/**
 * oh-my-pi's sessions on disk. The agent directory `A` is `$PI_CODING_AGENT_DIR` (`~` expanded), else
 * `~/<PI_CONFIG_DIR or .omp>/agent`, or `…/profiles/<name>/agent` under `OMP_PROFILE` (`PI_PROFILE`).
 * Sessions are in `A/sessions/<dir>/<ISO time>_<id>.jsonl`, where `<dir>` names the working directory
 * relative to home (`-` + the path with `/` → `-`), else relative to the temp directory (`-tmp-…`),
 * else as pi does (`--<path>--`). The first line is a `title` record rewritten in place. The format and
 * the linking are shared with pi (`formats/pi_store.ts`).
 *
 * @module
 */

import { type PiLayout, PiSessionSource, resolveFrom } from "../../formats/pi_store.ts";
import type { ReaderOptions } from "../../vendor.ts";
import { piProjectDir } from "../pi/sessions.ts";

/**
 * oh-my-pi's agent directory for a process environment.
 *
 * @example
 * ```ts
 * ompAgentDir({}, "/home/me"); // "/home/me/.omp/agent"
 * ompAgentDir({ OMP_PROFILE: "work" }, "/home/me"); // "/home/me/.omp/profiles/work/agent"
 * ```
 */
export function ompAgentDir(env: Record<string, string>, home: string): string {
  if (env.PI_CODING_AGENT_DIR) return resolveFrom(env.PI_CODING_AGENT_DIR, home, home);
  const root = `${home}/${env.PI_CONFIG_DIR || ".omp"}`;
  const profile = (env.OMP_PROFILE ?? env.PI_PROFILE ?? "").trim();
  return profile && profile !== "default" ? `${root}/profiles/${profile}/agent` : `${root}/agent`;
}

/**
 * The directory name oh-my-pi gives a working directory (see the module description).
 *
 * @example
 * ```ts
 * ompProjectDir("/home/me/web-app", "/home/me", "/tmp"); // "-web-app"
 * ompProjectDir("/tmp/scratch/a", "/home/me", "/tmp"); // "-tmp-scratch-a"
 * ompProjectDir("/srv/app", "/home/me", "/tmp"); // "--srv-app--"
 * ```
 */
export function ompProjectDir(cwd: string, home: string, tmp: string): string {
  const relative = (base: string) =>
    cwd === base
      ? ""
      : base && cwd.startsWith(`${base.replace(/\/$/, "")}/`)
      ? cwd.slice(base.replace(/\/$/, "").length + 1)
      : null;
  const underHome = relative(home);
  if (underHome !== null) return underHome ? `-${underHome.replace(/[/\\:]/g, "-")}` : "-";
  const underTmp = relative(tmp);
  if (underTmp !== null) return underTmp ? `-tmp-${underTmp.replace(/[/\\:]/g, "-")}` : "-tmp";
  return piProjectDir(cwd);
}

/** oh-my-pi's layout: per-project directories under the agent directory. */
export const OMP_LAYOUT: PiLayout = {
  envKeys: ["PI_CODING_AGENT_DIR", "PI_CONFIG_DIR", "OMP_PROFILE", "PI_PROFILE", "TMPDIR"],
  sessionFlags: ["--session", "--resume"],
  titleLine: true,
  sessionDir(env, home, cwd) {
    return `${ompAgentDir(env, home)}/sessions/${ompProjectDir(cwd, home, env.TMPDIR || "/tmp")}`;
  },
  roots(env, home) {
    return [{ dir: `${ompAgentDir(env, home)}/sessions`, nested: true }];
  },
};

/**
 * A new reader of oh-my-pi's sessions (one per collector).
 *
 * @example
 * ```ts
 * ompSessionSource().envKeys.includes("OMP_PROFILE"); // true
 * ```
 */
export function ompSessionSource(options: ReaderOptions = {}): PiSessionSource {
  return new PiSessionSource(OMP_LAYOUT, options);
}
