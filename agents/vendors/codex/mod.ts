/**
 * Codex (OpenAI): `node …/.bin/codex` (the npm shim) starts the native TUI
 * (`node_modules/@openai/codex-<platform>/vendor/<triple>/bin/codex`), which starts app-server daemons
 * (`~/.codex/packages/app-server-daemon/releases/<version>/bin/codex app-server …`).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Codex: the native process is the agent, the node shim its launcher, `codex app-server …` a helper
 * (counted only beside a TUI). `codex mcp-server`, the management subcommands and the sandbox
 * re-executions (`codex-linux-sandbox`, argv[0] not `codex`) are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * codex.recognise(p, null); // "helper" for `…/codex app-server --listen unix:// --managed-daemon`
 * ```
 */
export const codex: Vendor = {
  ...cliVendor(
    "codex",
    "Codex",
    {
      bins: ["codex"],
      packages: ["@openai/codex"],
      skip: [
        "mcp-server",
        "mcp",
        "login",
        "logout",
        "completion",
        "sandbox",
        "debug",
        "apply",
        "a",
        "features",
        "cloud",
        "app",
        "help",
      ],
      valued: [
        "-c",
        "--config",
        "-m",
        "--model",
        "-p",
        "--profile",
        "-s",
        "--sandbox",
        "-a",
        "--ask-for-approval",
        "-C",
        "--cd",
        "--enable",
        "--disable",
      ],
    },
    (run) => run.subcommand === "app-server" ? "helper" : run.how === "runtime" ? "launcher" : "main",
  ),
  dataDirEnv: "CODEX_HOME",
  orphanMarkers: [{ env: "CODEX_THREAD_ID", session: true }, { env: "CODEX_SESSION_ID", session: true }],
  dangerousFlags: {
    // `--full-auto` keeps a sandbox and is not one.
    flags: ["--dangerously-bypass-approvals-and-sandbox", "--yolo"],
    values: { "--sandbox": "danger-full-access", "-s": "danger-full-access" },
  },
  // `codex-linux-sandbox … -- /bin/bash -c <environment snapshot>\nexec '/bin/bash' -c '<cmd>'`
  shellWrappers: [
    { program: "codex-linux-sandbox", after: "--" },
    { program: "bash", script: /\nexec '[^']*' -l?c ('(?:[^']|'\\'')*')\s*$/ },
  ],
  sessions: (options) => import("./sessions.ts").then((m) => new m.CodexSessionSource(options)),
  sessionHome: { dirs: [".codex"], env: ["CODEX_HOME"] },
  tools: () => import("./tools.ts").then((m) => m.codexToolCalls),
};
