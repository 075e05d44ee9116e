/**
 * Fixture files written from what real agents wrote (`tests/fixtures/<agent>/`).
 *
 * @module
 */

/**
 * The non-empty lines of `tests/fixtures/<agent>/<name>`.
 *
 * @example
 * ```ts
 * fixtureLines("gemini", "fresh.jsonl").length; // 2
 * ```
 */
export function fixtureLines(agent: string, name: string): string[] {
  const path = new URL(`../fixtures/${agent}/${name}`, import.meta.url).pathname;
  return Deno.readTextFileSync(path).split("\n").filter(Boolean);
}
