/**
 * Node built-in modules loaded when first used, not imported: importing any `node:` module makes every
 * run of agtop load Deno's Node compatibility layer (tens of milliseconds per thread), even where no
 * store that needs it is on the machine.
 *
 * @module
 */

/** Built-ins loaded so far, by id. */
const loaded = new Map<string, unknown>();

/**
 * The Node built-in module `id` (e.g. `"node:sqlite"`), loaded synchronously on first use (a collector
 * tick cannot wait for `import()`); null where the runtime has no such module.
 *
 * @example
 * ```ts
 * const zlib = nodeBuiltin<typeof import("node:zlib")>("node:zlib");
 * zlib?.zstdDecompressSync;
 * ```
 */
export function nodeBuiltin<T>(id: string): T | null {
  if (loaded.has(id)) return loaded.get(id) as T;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = (proc?.getBuiltinModule?.(id) ?? null) as T | null;
  if (mod) loaded.set(id, mod);
  return mod;
}
