import assert from "node:assert/strict";
import { mtimeOf } from "../../../agents/formats/files.ts";
import { jsonlSessions, RecentScan } from "../../../agents/formats/recent.ts";
import { RECENT_SESSIONS_MAX } from "../../../agents/vendor.ts";

const DAY_MS = 86_400_000;

/** `count` empty `.jsonl` files in `dir`, each last written at `at(i)`. */
function files(dir: string, count: number, at: (i: number) => number): void {
  Deno.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const path = `${dir}/s${i}.jsonl`;
    Deno.writeTextFileSync(path, "{}\n");
    Deno.utimeSync(path, new Date(at(i)), new Date(at(i)));
  }
}

Deno.test("RecentScan: the newest up to the cap and a count of the rest, old folders not looked at file by file", () => {
  const root = Deno.makeTempDirSync();
  try {
    const now = Date.now();
    const since = now - DAY_MS;
    const weeksAgo = now - 30 * DAY_MS;
    for (let p = 0; p < 10; p++) {
      files(`${root}/old-${p}`, 300, () => weeksAgo);
      Deno.utimeSync(`${root}/old-${p}`, new Date(weeksAgo), new Date(weeksAgo));
    }
    const recent = RECENT_SESSIONS_MAX + 100;
    files(`${root}/new`, recent, (i) => now - 60_000 - i * 1_000);

    const scan = new RecentScan({ sweepPerScan: 50 });
    let looked = 0;
    const counted = (path: string) => (looked++, mtimeOf(path));
    const list = () => [...scan.subdirs(root)].flatMap(([dir, names]) => jsonlSessions(dir, names));

    const first = scan.newest(list(), since, counted);
    assert.equal(first.links.length, RECENT_SESSIONS_MAX);
    assert.equal(first.more, 100);
    assert.equal(first.links[0].path, `${root}/new/s0.jsonl`); // newest first
    assert.ok(first.links.every((l, i) => i === 0 || l.at! <= first.links[i - 1].at!));
    // The 3,000 old files are not looked at one by one: only the recent folder's and one sweep's worth.
    assert.equal(looked, recent + 50);

    // Later scans: the candidates again, and the next sweep; an old session appended to is found by it.
    Deno.utimeSync(`${root}/old-9/s299.jsonl`, new Date(now), new Date(now));
    let found = false;
    for (let scans = 0; scans < 3_000 / 50 + 1 && !found; scans++) {
      looked = 0;
      const next = scan.newest(list(), since, counted);
      assert.equal(looked, recent + 50);
      found = next.links[0].path === `${root}/old-9/s299.jsonl`;
    }
    assert.ok(found, "the appended old session is found within one round of the sweep");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("RecentScan: a folder is listed again only when it changed", () => {
  const root = Deno.makeTempDirSync();
  try {
    const past = new Date(Date.now() - 60_000);
    files(`${root}/p`, 2, () => past.getTime());
    Deno.utimeSync(`${root}/p`, past, past);
    const scan = new RecentScan();
    assert.deepEqual(scan.list(`${root}/p`).sort(), ["s0.jsonl", "s1.jsonl"]);
    Deno.writeTextFileSync(`${root}/p/s2.jsonl`, "");
    Deno.utimeSync(`${root}/p`, past, past); // the folder claims no change: the listing is reused
    assert.equal(scan.list(`${root}/p`).length, 2);
    Deno.utimeSync(`${root}/p`, new Date(), new Date());
    assert.equal(scan.list(`${root}/p`).length, 3);
    assert.deepEqual(scan.list(`${root}/missing`), []);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("RecentScan without a cap: one scan lists every session, old folders' files included", () => {
  const root = Deno.makeTempDirSync();
  try {
    const now = Date.now();
    const weeksAgo = now - 30 * DAY_MS;
    for (let p = 0; p < 3; p++) {
      files(`${root}/old-${p}`, 1_000, (i) => i % 2 ? now - 60_000 : weeksAgo);
      Deno.utimeSync(`${root}/old-${p}`, new Date(weeksAgo), new Date(weeksAgo));
    }
    const list = (scan: RecentScan) =>
      [...scan.subdirs(root)].flatMap(([dir, names]) => jsonlSessions(dir, names));
    const all = new RecentScan({ max: Infinity });
    const found = all.newest(list(all), now - DAY_MS);
    assert.equal(found.links.length, 1_500);
    assert.equal(found.more, 0);
    // A capped scan (ls, the live view) looks at one sweep's worth of them per scan.
    const capped = new RecentScan({ sweepPerScan: 50 });
    assert.ok(capped.newest(list(capped), now - DAY_MS).links.length <= 50);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
