/**
 * The platform layer: the {@linkcode ProcessSource} of the running OS, chosen once by `Deno.build.os`,
 * and the types every source shares.
 *
 * @module
 */

import { LinuxProcessSource } from "./linux/source.ts";
import type { ProcessSource } from "./types.ts";

export * from "./types.ts";

/**
 * The process source of this OS. Dispose it (`using`) to release what it holds open between calls;
 * a CLI that exits afterwards need not bother.
 *
 * @throws {Error} on an OS agtop does not support yet.
 * @example
 * ```ts
 * using source = processSource();
 * console.log(source.list().length, "processes");
 * ```
 */
export function processSource(): ProcessSource & Disposable {
  if (Deno.build.os === "linux") return new LinuxProcessSource();
  throw new Error(`agtop does not support ${Deno.build.os} yet`);
}
