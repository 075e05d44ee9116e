/**
 * Session readers in tests: which vendor a reader reads for (the collector stamps that vendor's id,
 * the link's path and how it was linked on what the reader returns).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { SessionSource, Vendor } from "../../agents/vendor.ts";

/**
 * Asserts that `vendor` has the id `id` and loads readers of class `Source`: what such a reader
 * returns is stamped `vendor: id` by the collector.
 *
 * @example
 * ```ts
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
