/**
 * Session readers in tests: which vendor a reader reads for (the collector stamps that vendor's id,
 * the link's path and how it was linked on what the reader returns).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { LinkContext, SessionSource, Vendor } from "../../agents/vendor.ts";

/** The time link tests run at (ms since epoch). */
export const NOW: number = Date.now();
/** When the agent process of a link test started: a minute before {@linkcode NOW}. */
export const STARTED: number = NOW - 60_000;
/** The platform's start stamp of that process. */
export const START_ID = 758200;

/**
 * Runs `fn` with a temp HOME, removed afterwards.
 *
 * @example
 * ```ts
 * withHome((home) => Deno.mkdirSync(`${home}/.claude`));
 * ```
 */
export function withHome(fn: (home: string) => void): void {
  const home = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "agtop-link-" }));
  try {
    fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

/**
 * What a reader's `link` is given for an agent process under `home` (pid 4242, started at
 * {@linkcode STARTED}), with `over` applied.
 *
 * @example
 * ```ts
 * import { ClaudeSessionSource } from "../../agents/vendors/claude/sessions.ts";
 *
 * withHome((home) => new ClaudeSessionSource().link(linkContext(home, { cwd: "/w/app" })));
 * ```
 */
export function linkContext(home: string, over: Partial<LinkContext> = {}): LinkContext {
  return {
    pid: 4242,
    startedAt: STARTED,
    startId: START_ID,
    argv: ["claude"],
    cwd: null,
    env: { HOME: home },
    home,
    openFiles: [],
    childEnv: [],
    claimed: new Set(),
    now: NOW,
    ...over,
  };
}

/**
 * The `n`th test UUID.
 *
 * @example
 * ```ts
 * uuid(7); // "00000000-0000-4000-8000-000000000007"
 * ```
 */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/**
 * Asserts that `vendor` has the id `id` and loads readers of class `Source`: what such a reader
 * returns is stamped `vendor: id` by the collector.
 *
 * @example
 * ```ts
 * import { claude } from "../../agents/vendors/claude/mod.ts";
 * import { ClaudeSessionSource } from "../../agents/vendors/claude/sessions.ts";
 *
 * await assertReaderOf(claude, ClaudeSessionSource, "claude");
 * ```
 */
export async function assertReaderOf(
  vendor: Vendor,
  Source: new () => SessionSource,
  id: string,
): Promise<void> {
  assert.equal(vendor.id, id);
  assert.ok((await vendor.sessions?.()) instanceof Source);
}

/**
 * What a database reader's `link` is given for an agent process (pid 4242, started at
 * {@linkcode STARTED}, no home), with `over` applied.
 *
 * @example
 * ```ts
 * import { OpenCodeSessionSource } from "../../agents/vendors/opencode/sessions.ts";
 *
 * const db = `${await tempDir()}/opencode.db`;
 * new OpenCodeSessionSource().link(dbLinkContext({ cwd: "/w/app", env: { OPENCODE_DB: db } }));
 * ```
 */
export function dbLinkContext(over: Partial<LinkContext>): LinkContext {
  return linkContext("/nonexistent", { startId: 0, argv: ["opencode"], env: {}, ...over });
}

/**
 * A new temp directory (its real path) for a test's databases; the test removes it.
 *
 * @example
 * ```ts
 * const root = await tempDir();
 * ```
 */
export async function tempDir(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "agtop-sqlite-" }));
}
