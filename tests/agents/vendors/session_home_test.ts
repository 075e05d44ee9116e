/**
 * Every vendor's `sessionHome` holds what its reader says: a history read skips loading the readers of
 * agents whose folders are not there, so a folder or variable left out would hide sessions from reports.
 */
import assert from "node:assert/strict";
import { VENDORS } from "../../../agents/vendors/mod.ts";

const HOME = "/home/me";
/** Variables any reader may take its folders from besides its own. */
const COMMON = ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "TMPDIR"];

const under = (path: string, dirs: readonly string[]) =>
  dirs.some((d) => path === `${HOME}/${d}` || path.startsWith(`${HOME}/${d}/`));

Deno.test("an agent that keeps its sessions only in projects declares no home folder", async () => {
  for (const vendor of VENDORS.filter((v) => v.sessions)) {
    const reader = await vendor.sessions!({ history: true });
    if (reader.dataDirs?.({ HOME }, HOME).every((d) => d.inProject)) {
      assert.deepEqual(vendor.sessionHome, { dirs: [], env: [] }, vendor.id);
    }
  }
});

Deno.test("every agent agtop reads sessions of says where they live by default", () => {
  const missing = VENDORS.filter((v) => v.sessions && !v.sessionHome).map((v) => v.id);
  assert.deepEqual(missing, []);
});

Deno.test("each reader's data directories lie in its declared home folders unless a declared variable moves them", async () => {
  for (const vendor of VENDORS.filter((v) => v.sessions)) {
    const home = vendor.sessionHome!;
    const reader = await vendor.sessions!({ history: true });
    assert.ok(reader.dataDirs, `${vendor.id} tells its data directories`);
    const keys = new Set([...reader.envKeys, ...COMMON, ...(vendor.dataDirEnv ? [vendor.dataDirEnv] : [])]);
    const cases = [
      { HOME },
      ...[...keys].filter((k) => !home.env.includes(k)).map((k) => ({ HOME, [k]: "/srv/x" })),
    ];
    for (const env of cases) {
      for (const dir of reader.dataDirs(env, HOME)) {
        // A store inside each project is found from a live agent (or a list of projects kept at home).
        if (dir.inProject) continue;
        assert.ok(
          under(dir.path, home.dirs),
          `${vendor.id}: ${dir.path} (env ${JSON.stringify(env)}) is not in ${home.dirs}`,
        );
      }
    }
    // A declared variable does move them: else it would load the reader for nothing.
    for (const k of home.env) {
      const moved = reader.dataDirs({ HOME, [k]: "/srv/x" }, HOME).some((d) => !under(d.path, home.dirs));
      assert.ok(moved, `${vendor.id}: ${k} moves none of its data directories`);
    }
  }
});
