/**
 * The platform layer: the {@linkcode ProcessSource} of the running OS, chosen once by `Deno.build.os`,
 * and the types every source shares. Only the running OS's backend is loaded.
 *
 * @module
 */

import type { ProcessSource } from "./types.ts";
import { ProcessAccessError } from "./types.ts";

export * from "./types.ts";

/** A source class with the constructor every backend has (options all optional). */
type SourceClass = new () => ProcessSource & Disposable;

const Source: SourceClass | null = Deno.build.os === "linux"
  ? (await import("./linux/source.ts")).LinuxProcessSource
  : Deno.build.os === "darwin"
  ? (await import("./darwin/source.ts")).DarwinProcessSource
  : Deno.build.os === "windows"
  ? (await import("./windows/source.ts")).WindowsProcessSource
  : Deno.build.os === "freebsd"
  ? (await import("./freebsd/source.ts")).FreeBsdProcessSource
  : null;

/**
 * The process source of this OS. Dispose it (`using`) to release what it holds open between calls;
 * a CLI that exits afterwards need not bother.
 *
 * @throws {ProcessAccessError} on an unsupported OS, or when the OS's process library cannot be opened
 * (a missing permission or library), with a message that says what is needed.
 * @example
 * ```ts
 * using source = processSource();
 * console.log(source.list().length, "processes");
 * ```
 */
export function processSource(): ProcessSource & Disposable {
  if (!Source) throw new ProcessAccessError(`agtop does not support ${Deno.build.os} yet`);
  const source = new Source();
  // The FFI backends open their libraries on first use and report failure as a notice.
  if (source.notices && source.list().length === 0) {
    const why = source.notices().find((n) => n.startsWith("cannot open"));
    if (why) throw new ProcessAccessError(why);
  }
  return source;
}
