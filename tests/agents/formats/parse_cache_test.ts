import assert from "node:assert/strict";
import { FORGET_AFTER_MS, ParseCache, TailedTranscript } from "../../../agents/formats/parse_cache.ts";
import { jsonlSessions, recentFiles } from "../../../agents/formats/recent.ts";

Deno.test("ParseCache: made once per key, forgotten when unused, least recently used dropped past its cap", () => {
  const cache = new ParseCache<{ n: number }>({ maxEntries: 2 });
  cache.get("a", 0, () => ({ n: 0 })).n++;
  assert.equal(cache.get("a", 1, () => ({ n: 0 })).n, 1);
  cache.get("b", 2, () => ({ n: 0 }));
  cache.get("a", FORGET_AFTER_MS, () => ({ n: 0 }));
  assert.equal(cache.get("a", FORGET_AFTER_MS + 3, () => ({ n: 0 })).n, 1); // b not used since 2: dropped
  assert.deepEqual([...cache.entries()].map(([k]) => k), ["a"]);
  cache.set("b", { n: 5 }, FORGET_AFTER_MS + 3);
  cache.set("c", { n: 6 }, FORGET_AFTER_MS + 3); // a third entry: a, used least recently, goes
  assert.deepEqual([...cache.entries()].map(([k]) => k), ["b", "c"]);
  assert.equal(cache.peek("a"), undefined);
  cache.get("b", FORGET_AFTER_MS + 4, () => ({ n: 0 })); // b used: c is now the least recent
  cache.set("d", { n: 7 }, FORGET_AFTER_MS + 4);
  assert.deepEqual([...cache.entries()].map(([k]) => k), ["b", "d"]);
});

Deno.test("TailedTranscript feeds appended lines and starts over when the file is replaced", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/a.jsonl`;
    Deno.writeTextFileSync(path, "one\ntwo\n");
    const t = new TailedTranscript(path, () => ({
      lines: [] as string[],
      feed(l: string) {
        this.lines.push(l);
      },
    }));
    t.read();
    Deno.writeTextFileSync(path, "three\n", { append: true });
    t.read();
    assert.deepEqual(t.parser.lines, ["one", "two", "three"]);
    Deno.writeTextFileSync(`${path}.new`, "new\n");
    Deno.renameSync(`${path}.new`, path);
    t.read();
    assert.deepEqual(t.parser.lines, ["new"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("recentFiles: written since a time, newest first, as recent links", () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (
      const [name, at] of [["old.jsonl", 1_000], ["new.jsonl", 3_000], ["mid.jsonl", 2_000], ["x.txt", 3_000]]
    ) {
      Deno.writeTextFileSync(`${dir}/${name}`, "");
      Deno.utimeSync(`${dir}/${name}`, (at as number) / 1000, (at as number) / 1000);
    }
    const files = jsonlSessions(dir, [...Deno.readDirSync(dir)].map((e) => e.name));
    assert.deepEqual(recentFiles(files, 2_000), {
      links: [
        { path: `${dir}/new.jsonl`, id: "new", linkedBy: "recent", at: 3_000 },
        { path: `${dir}/mid.jsonl`, id: "mid", linkedBy: "recent", at: 2_000 },
      ],
      more: 0,
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
