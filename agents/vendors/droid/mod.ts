/**
 * Factory Droid: the native `droid` binary (Factory's installer puts it in `~/.local/bin`).
 *
 * @module
 */

import type { Vendor } from "../../vendor.ts";
import { cliVendor } from "../../recognise.ts";

/**
 * Factory Droid: the `droid` binary.
 *
 * @example
 * ```ts
 * import type { ProcessInfo } from "../../../platform/types.ts";
 * declare const p: ProcessInfo;
 * droid.recognise(p, null); // "main" for `droid exec "fix the tests"`
 * ```
 */
export const droid: Vendor = {
  ...cliVendor("droid", "Factory Droid", { bins: ["droid"] }),
  dangerousFlags: { flags: ["--skip-permissions-unsafe"] },
};
