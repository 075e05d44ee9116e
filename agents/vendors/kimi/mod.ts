/**
 * Kimi Code CLI (Moonshot AI): node running the npm package `@moonshot-ai/kimi-code` (bin `kimi`), or
 * the `kimi` binary its install script places. Once started it titles its process `kimi-code` (argv is
 * that one word, the executable still node); its shell tools run as `/bin/bash -c` children.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Kimi Code: its titled process, node running its package, or its binary. Its management commands
 * (`login`, `doctor`, `export`, `upgrade`, …) are not agents.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo; // argv ["kimi-code"], comm "kimi-code", exe /usr/bin/node
 * kimi.recognise(p, null); // "main"
 * ```
 */
export const kimi: Vendor = {
  ...cliVendor("kimi", "Kimi Code", {
    bins: ["kimi", "kimi-code"],
    packages: ["@moonshot-ai/kimi-code"],
    skip: [
      "export",
      "fork",
      "provider",
      "session",
      "login",
      "doctor",
      "vis",
      "install-desktop",
      "migrate",
      "upgrade",
      "update",
    ],
    valued: [
      "-m",
      "--model",
      "-p",
      "--prompt",
      "--output-format",
      "--skills-dir",
      "--agent",
      "--agent-file",
      "--add-dir",
    ],
  }),
  dataDirEnv: "KIMI_CODE_HOME",
  sessions: (options) => import("./sessions.ts").then((m) => new m.KimiSessionSource(options)),
  sessionHome: { dirs: [".kimi-code"], env: ["KIMI_CODE_HOME"] },
};
