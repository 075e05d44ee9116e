/**
 * Claude Code (Anthropic): a native `claude` binary, installed by npm
 * (`node_modules/@anthropic-ai/claude-code/bin/claude.exe`) or by the installer
 * (`~/.local/share/claude/versions/<version>`); old releases ran `node …/claude-code/cli.js`.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Claude Code: `claude [flags] [prompt]` is a session; `claude mcp …`, `claude agents` and the other
 * management subcommands, and its spare/pty-host processes are not.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * claude.recognise(p, null); // "main" for `NPM_BIN/claude --resume`, null for `claude mcp serve`
 * ```
 */
export const claude: Vendor = {
  ...cliVendor(
    "claude",
    "Claude Code",
    {
      // The processes Claude Code keeps in reserve or for terminals are not sessions.
      skipFlags: ["--bg-spare", "--bg-pty-host"],
      bins: ["claude"],
      packages: ["@anthropic-ai/claude-code"],
      paths: ["/claude/versions/"],
      skip: ["mcp", "agents", "config", "doctor", "install", "update", "upgrade", "setup-token", "plugin"],
      valued: [
        "--model",
        "--permission-mode",
        "--settings",
        "--setting-sources",
        "--mcp-config",
        "--add-dir",
      ],
    },
  ),
  dataDirEnv: "CLAUDE_CONFIG_DIR",
  orphanMarkers: [{ env: "CLAUDE_CODE_SESSION_ID", session: true }, { env: "CLAUDECODE", session: false }],
  dangerousFlags: {
    flags: ["--dangerously-skip-permissions"],
    values: { "--permission-mode": "bypassPermissions" },
  },
  // `bash -c source <shell snapshot> … && eval '<cmd>' < /dev/null && pwd -P >| /tmp/claude-…-cwd`
  shellWrappers: [{ program: "bash", script: /&& eval ('(?:[^']|'\\'')*')/ }],
  sessions: (options) => import("./sessions.ts").then((m) => new m.ClaudeSessionSource(options)),
  sessionHome: { dirs: [".claude"], env: ["CLAUDE_CONFIG_DIR"] },
  tools: () => import("./tools.ts").then((m) => m.claudeToolCalls),
};
