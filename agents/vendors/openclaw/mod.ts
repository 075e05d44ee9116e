/**
 * OpenClaw (npm `openclaw`), a gateway that runs agents for chat channels and the terminal. `openclaw
 * <command>` is node running `openclaw.mjs`, which starts itself again as a child and waits; the child
 * sets its process title to `openclaw-<command>` (so argv is that one word, the kernel's name the
 * same cut to 15 characters, `openclaw-gatewa`, and the executable still node). The agent turns run
 * inside that child (`openclaw-agent` for `openclaw agent --local`, `openclaw-gateway` for the gateway
 * that serves every channel, `openclaw-tui`/`openclaw-chat` for the terminal UI); their shell tools
 * run under node relays (`dist/process/supervisor/service-child-relay.js`) of the same package.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor, type Run } from "../../recognise.ts";

/** The commands that run agent turns, whose processes are agtop rows. */
const SESSION_COMMANDS: ReadonlySet<string> = new Set(["agent", "gateway", "tui", "chat"]);

/**
 * The role of one OpenClaw process: the titled child of a session command is the agent; the node
 * process running `openclaw.mjs` with such a command launches it; node running any other script of the
 * package (a tool's relay) is none of OpenClaw's own (it stays a child of the agent's row), and other
 * commands (`config`, `doctor`, `onboard`, …) are no sessions.
 *
 * @example
 * ```ts
 * openclawRole({ how: "runtime", args: ["agent", "--local", "-m", "hi"], subcommand: "agent" }); // "launcher"
 * openclawRole({ how: "native", args: [], subcommand: undefined }); // "main"
 * ```
 */
export function openclawRole(run: Run): "main" | "launcher" | null {
  if (run.how === "native") return "main";
  return run.subcommand !== undefined && SESSION_COMMANDS.has(run.subcommand) ? "launcher" : null;
}

/**
 * OpenClaw: the titled `openclaw-agent`/`-gateway`/`-tui`/`-chat` process, and the node launcher of
 * its package that waits for it.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["openclaw-agent"], comm "openclaw-agent", exe /usr/bin/node
 * openclaw.recognise(p, null); // "main"
 * ```
 */
export const openclaw: Vendor = {
  ...cliVendor(
    "openclaw",
    "OpenClaw",
    {
      // The titles of the session commands; the kernel keeps 15 characters of `openclaw-gateway`.
      bins: ["openclaw-agent", "openclaw-gateway", "openclaw-gatewa", "openclaw-tui", "openclaw-chat"],
      packages: ["openclaw"],
      valued: [
        "--profile",
        "--container",
        "--log-level",
        "--agent",
        "-m",
        "--message",
        "--session-id",
        "--to",
        "--channel",
        "--port",
        "--bind",
      ],
    },
    openclawRole,
  ),
  dataDirEnv: "OPENCLAW_STATE_DIR",
  sessions: (options) => import("./sessions.ts").then((m) => new m.OpenClawSessionSource(options)),
  sessionHome: { dirs: [".openclaw"], env: ["OPENCLAW_HOME", "OPENCLAW_STATE_DIR", "OPENCLAW_PROFILE"] },
};
