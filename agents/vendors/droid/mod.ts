/**
 * Factory Droid: the native `droid` binary (Factory's installer puts it in `~/.local/bin`; npm's
 * `@factory/cli` hard-links it over `bin/droid`, or, installed without its postinstall, runs it from a
 * node shim). From the first prompt on, the TUI runs its agent loop as a child,
 * `droid exec --input-format stream-jsonrpc --output-format stream-jsonrpc`, under which the tools run.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor, type Run } from "../../recognise.ts";

/**
 * The role of one `droid` process: the node shim launches, the agent loop a TUI drives over JSON-RPC
 * (`exec --input-format stream-jsonrpc`) helps it (so the three processes are one row, the TUI's), and
 * any other run (the TUI, `droid exec "prompt"`) is the agent.
 *
 * @example
 * ```ts
 * droidRole({ how: "native", args: ["exec", "--input-format", "stream-jsonrpc"], subcommand: "exec" }); // "helper"
 * ```
 */
export function droidRole(run: Run): "main" | "launcher" | "helper" {
  if (run.how === "runtime") return "launcher";
  const at = run.args.indexOf("--input-format");
  const format = at === -1
    ? run.args.find((a) => a.startsWith("--input-format="))?.slice("--input-format=".length)
    : run.args[at + 1];
  return run.subcommand === "exec" && format === "stream-jsonrpc" ? "helper" : "main";
}

/**
 * Factory Droid: the `droid` binary or its npm package; the agent loop of a TUI folds into it.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * droid.recognise(p, null); // "main" for `droid exec "fix the tests"`
 * ```
 */
export const droid: Vendor = {
  ...cliVendor(
    "droid",
    "Factory Droid",
    {
      bins: ["droid"],
      packages: ["@factory/cli"],
      skip: ["mcp", "plugin", "update", "search", "find", "computer", "daemon", "doctor"],
      // `-r` is `--resume [id]` (optional value) at the top and `--reasoning-effort` under `exec`: left out.
      valued: [
        "-m",
        "--model",
        "--reasoning-effort",
        "--cwd",
        "-f",
        "--file",
        "--auto",
        "-s",
        "--session-id",
        "--fork",
        "-o",
        "--output-format",
        "--input-format",
        "--settings",
      ],
    },
    droidRole,
  ),
  dataDirEnv: "FACTORY_HOME_OVERRIDE",
  dangerousFlags: { flags: ["--skip-permissions-unsafe"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.DroidSessionSource(options)),
  sessionHome: { dirs: [".factory"], env: ["FACTORY_HOME_OVERRIDE"] },
  tools: () => import("./tools.ts").then((m) => m.droidToolCalls),
};
