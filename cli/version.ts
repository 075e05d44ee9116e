/**
 * agtop's version, taken from deno.json so there is one place to bump it, and the commit it was built
 * from: embedded by `scripts/build.ts` in compiled binaries, read from `.git` in a source checkout.
 *
 * @module
 */

import meta from "../deno.json" with { type: "json" };

/** The release version, e.g. `0.1.0`. */
export const VERSION: string = meta.version;

const ROOT = new URL("../", import.meta.url);

function readText(rel: string): string | null {
  try {
    return Deno.readTextFileSync(new URL(rel, ROOT));
  } catch {
    return null;
  }
}

/** The commit of a source checkout, read from `.git` without running git. */
function gitCommit(): string | null {
  const head = readText(".git/HEAD")?.trim();
  if (!head) return null;
  if (!head.startsWith("ref: ")) return head.slice(0, 12);
  const ref = head.slice(5);
  const loose = readText(`.git/${ref}`)?.trim();
  if (loose) return loose.slice(0, 12);
  const packed = readText(".git/packed-refs")?.split("\n").find((l) => l.endsWith(` ${ref}`));
  return packed ? packed.slice(0, 12) : null;
}

/**
 * The commit agtop was built from, or null when unknown.
 *
 * @example
 * ```ts
 * `agtop ${VERSION} (${buildCommit() ?? "unknown commit"})`;
 * ```
 */
export function buildCommit(): string | null {
  const embedded = readText("dist/build_info.json");
  if (embedded) {
    try {
      const commit = JSON.parse(embedded).commit;
      if (typeof commit === "string") return commit;
    } catch {
      // a damaged file: fall back to the checkout
    }
  }
  return gitCommit();
}

/** The `--version` line: `agtop 0.1.0 (commit 1a2b3c4d5e6f)`. */
export function versionLine(): string {
  const commit = buildCommit();
  return `agtop ${VERSION}${commit ? ` (commit ${commit})` : ""}`;
}
