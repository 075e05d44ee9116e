/**
 * Auggie (Augment Code): node running the npm package `@augmentcode/auggie` (bin `auggie`).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Auggie: a runtime running its package or its `auggie` bin.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * auggie.recognise(p, "/p/node_modules/@augmentcode/auggie/augment.mjs"); // "main"
 * ```
 */
export const auggie: Vendor = cliVendor("auggie", "Auggie", {
  bins: ["auggie"],
  packages: ["@augmentcode/auggie"],
});
