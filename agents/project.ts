/**
 * The project an agent works in, as tables and reports name it.
 *
 * @module
 */

/**
 * The project an agent works in: the last component of its working directory.
 *
 * @example
 * ```ts
 * projectName("/home/me/webshop"); // "webshop"
 * ```
 */
export function projectName(cwd: string | null): string | null {
  if (!cwd) return null;
  const parts = cwd.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : cwd;
}
