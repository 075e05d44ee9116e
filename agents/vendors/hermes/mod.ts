/**
 * Hermes Agent (Nous Research): a Python program (PyPI `hermes-agent`, installed by its script into a
 * virtualenv, or with `uv tool`/`pip`), so Python running its console scripts `hermes`, `hermes-agent`
 * or `hermes-acp`, or `python -m hermes_cli`. `hermes` is the chat (classic REPL, `chat -q`, `-z`
 * one-shot) and `hermes gateway` the messaging gateway that serves chats from Telegram, Discord, …;
 * its other commands manage it.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor, type Run } from "../../recognise.ts";

/** `hermes gateway` subcommands that manage the gateway's service instead of running it. */
const GATEWAY_MANAGEMENT: ReadonlySet<string> = new Set([
  "install",
  "uninstall",
  "start",
  "stop",
  "restart",
  "status",
]);

/**
 * The role of a Hermes process: Python running its program is the agent, unless it manages the
 * gateway's service; a native program named `hermes` is not Hermes Agent (Hermes Agent is a Python
 * program; `hermes` is also the name of React Native's JavaScript engine).
 *
 * @example
 * ```ts
 * hermesRole({ how: "runtime", args: ["gateway"], subcommand: "gateway" }); // "main"
 * hermesRole({ how: "runtime", args: ["gateway", "status"], subcommand: "gateway" }); // null
 * ```
 */
export function hermesRole(run: Run): "main" | null {
  if (run.how === "native") return null;
  if (run.subcommand === "gateway" && run.args.some((a) => GATEWAY_MANAGEMENT.has(a))) return null;
  return "main";
}

/**
 * Hermes Agent: Python running `hermes`, `hermes-agent`, `hermes-acp` or `-m hermes_cli`.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["/home/me/.hermes/hermes-agent/venv/bin/python", "/home/me/.local/bin/hermes"]
 * hermes.recognise(p, null); // "main"
 * ```
 */
export const hermes: Vendor = {
  ...cliVendor(
    "hermes",
    "Hermes Agent",
    {
      bins: ["hermes", "hermes-agent", "hermes-acp"],
      modules: ["hermes_cli", "acp_adapter"],
      skip: [
        "setup",
        "logout",
        "login",
        "auth",
        "model",
        "fallback",
        "config",
        "sessions",
        "logs",
        "debug",
        "console",
        "update",
        "uninstall",
        "dashboard",
        "webapp",
        "doctor",
        "status",
        "version",
        "tools",
        "skills",
        "plugins",
        "profile",
        "mcp",
        "cron",
        "insights",
      ],
      valued: [
        "-z",
        "--oneshot",
        "-m",
        "--model",
        "--provider",
        "--reasoning",
        "-t",
        "--toolsets",
        "-r",
        "--resume",
        "-s",
        "--skills",
        "--usage-file",
        "--in",
        "-p",
        "--profile",
        "-q",
        "--query",
        "--query-file",
        "--image",
        "--format",
      ],
    },
    hermesRole,
  ),
  dataDirEnv: "HERMES_HOME",
  dangerousFlags: { flags: ["--yolo"] },
  sessions: (options) => import("./sessions.ts").then((m) => new m.HermesSessionSource(options)),
  sessionHome: { dirs: [".hermes"], env: ["HERMES_HOME"] },
};
