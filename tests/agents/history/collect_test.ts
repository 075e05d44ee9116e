/**
 * A history read loads the session readers of the agents whose session folders are there (or moved
 * by a variable), in agtop's environment or a profile's, and no others.
 */
import assert from "node:assert/strict";
import { HistoryReader } from "../../../agents/history/collect.ts";
import type { SessionHome, SessionSource, Vendor } from "../../../agents/vendor.ts";

/** A vendor whose reader finds nothing, counting how often it is loaded. */
function vendor(id: string, sessionHome: SessionHome, loads: string[]): Vendor {
  const reader: SessionSource = {
    envKeys: [],
    link: () => null,
    read: () => null,
    recent: () => ({ links: [], more: 0 }),
  };
  return {
    id,
    label: id,
    recognise: () => null,
    sessionHome,
    sessions: () => (loads.push(id), Promise.resolve(reader)),
  } as unknown as Vendor;
}

Deno.test("a history read loads only the readers of agents whose session folders are there", async () => {
  const home = Deno.makeTempDirSync({ prefix: "agtop-history-homes-" });
  try {
    Deno.mkdirSync(`${home}/.here/sessions`, { recursive: true });
    const loads: string[] = [];
    const vendors = [
      vendor("here", { dirs: [".here"], env: ["HERE_HOME"] }, loads),
      vendor("absent", { dirs: [".agtop-absent-folder"], env: ["ABSENT_HOME"] }, loads),
      vendor("moved", { dirs: [".agtop-absent-folder"], env: ["MOVED_HOME"] }, loads),
      vendor("in-projects", { dirs: [], env: [] }, loads),
    ];
    const profile = [{ HOME: home }];
    await HistoryReader.open(vendors, {
      here: profile,
      absent: profile,
      moved: [{ HOME: home, MOVED_HOME: `${home}/elsewhere` }],
      "in-projects": profile,
    });
    assert.deepEqual(loads.sort(), ["here", "moved"]);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
});
