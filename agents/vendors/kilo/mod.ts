/**
 * Kilo Code CLI: the npm package `@kilocode/cli` (bins `kilocode` and `kilo`), run by node or as a
 * native binary.
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Kilo Code: a runtime running its package, or its binary.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * kilo.recognise(p, "/p/node_modules/@kilocode/cli/dist/index.js"); // "main"
 * ```
 */
export const kilo: Vendor = cliVendor("kilo", "Kilo Code", {
  bins: ["kilocode", "kilo"],
  packages: ["@kilocode/cli"],
});
