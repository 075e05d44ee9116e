/**
 * Qwen Code (a Gemini CLI fork): `node …/.bin/qwen`, which relaunches itself as `node …/.bin/qwen`.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Qwen Code: node running the `@qwen-code/qwen-code` package; of a self-relaunch, the detector keeps the
 * child as the agent. `qwen mcp …` and `qwen extensions …` manage it and are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * qwen.recognise(p, "/p/node_modules/@qwen-code/qwen-code/cli.js"); // "main"
 * ```
 */
export const qwen: Vendor = {
  ...cliVendor("qwen", "Qwen Code", {
    bins: ["qwen"],
    packages: ["@qwen-code/qwen-code"],
    skip: ["mcp", "extensions"],
  }),
  dataDirEnv: "QWEN_RUNTIME_DIR",
  orphanMarkers: [{ env: "QWEN_CODE_NO_RELAUNCH", session: false }],
  // `-y` is short for `--yolo`.
  dangerousFlags: { flags: ["--yolo", "-y"], values: { "--approval-mode": "yolo" } },
  sessions: (options) => import("./sessions.ts").then((m) => new m.QwenSessionSource(options)),
  sessionHome: { dirs: [".qwen"], env: ["QWEN_RUNTIME_DIR"] },
  tools: () => import("./tools.ts").then((m) => m.qwenToolCalls),
};
