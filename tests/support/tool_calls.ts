/**
 * Tool calls as test tables: `[server, name, duration ms or null, failed]` per call.
 *
 * @module
 */

import type { ToolCallRecord } from "../../agents/vendor.ts";

/** Each call as `[server, name, duration (ms, null without a result), failed]`. */
export function callFacts(calls: ToolCallRecord[]): [string | null, string, number | null, boolean][] {
  return calls.map((c) => [
    c.server,
    c.name,
    c.endedAt === null || c.startedAt === null ? null : c.endedAt - c.startedAt,
    c.failed,
  ]);
}
