import assert from "node:assert/strict";
import { JsonlTail, readHeadLines, readTailLines } from "../../../agents/formats/jsonl.ts";

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "agtop-jsonl-" });
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function append(path: string, data: string | Uint8Array): void {
  const f = Deno.openSync(path, { append: true, create: true });
  f.writeSync(typeof data === "string" ? new TextEncoder().encode(data) : data);
  f.close();
}

function collect(tail: JsonlTail): { lines: string[]; reset: boolean } {
  const lines: string[] = [];
  let reset = false;
  tail.read((l) => lines.push(l), () => reset = true);
  return { lines, reset };
}

Deno.test("jsonl: appended pieces come out as complete lines only", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    const tail = new JsonlTail(path, { chunkBytes: 4 });
    assert.deepEqual(collect(tail).lines, []); // missing file: nothing, no throw
    append(path, '{"a":1}\n{"b":');
    assert.deepEqual(collect(tail).lines, ['{"a":1}']);
    assert.equal(tail.offset, 8);
    append(path, "2}");
    assert.deepEqual(collect(tail).lines, []); // still no newline: the line waits
    append(path, '\r\n{"c":3}\n\n');
    assert.deepEqual(collect(tail).lines, ['{"b":2}', '{"c":3}', ""]);
    assert.deepEqual(collect(tail).lines, []);
    assert.equal(tail.offset, tail.size);
  });
});

Deno.test("jsonl: a truncated or replaced file is read again from the start and reported", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    append(path, "one\ntwo\nthree\n");
    const tail = new JsonlTail(path);
    assert.deepEqual(collect(tail), { lines: ["one", "two", "three"], reset: false });
    Deno.truncateSync(path, 0);
    append(path, "four\n");
    assert.deepEqual(collect(tail), { lines: ["four"], reset: true });
    // Replaced (new inode) with content longer than the old offset.
    Deno.writeTextFileSync(`${dir}/new.jsonl`, "five\nsix\nseven-eight-nine\n");
    Deno.renameSync(`${dir}/new.jsonl`, path);
    assert.deepEqual(collect(tail), { lines: ["five", "six", "seven-eight-nine"], reset: true });
    append(path, "ten\n");
    assert.deepEqual(collect(tail), { lines: ["ten"], reset: false });
  });
});

Deno.test("jsonl: a line over the limit is skipped and counted without being held whole", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    const tail = new JsonlTail(path, { maxLineBytes: 64, chunkBytes: 16 });
    append(path, `first\n${"x".repeat(100)}`);
    assert.deepEqual(collect(tail).lines, ["first"]);
    assert.equal(tail.skippedLines, 1); // known too long before its end is written
    append(path, `${"x".repeat(100)}\nafter\n${"y".repeat(65)}\nlast\n`);
    assert.deepEqual(collect(tail).lines, ["after", "last"]);
    assert.equal(tail.skippedLines, 2);
    assert.equal(tail.offset, tail.size);
  });
});

Deno.test("jsonl: a 12 MB line is skipped at the default 10 MB limit", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    append(path, `{"type":"a"}\n{"big":"${"z".repeat(12 * 1024 * 1024)}"}\n{"type":"b"}\n`);
    const tail = new JsonlTail(path);
    assert.deepEqual(collect(tail).lines, ['{"type":"a"}', '{"type":"b"}']);
    assert.equal(tail.skippedLines, 1);
  });
});

Deno.test("jsonl: invalid UTF-8 is replaced, a character split across reads is kept whole", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    const tail = new JsonlTail(path, { chunkBytes: 3 });
    append(path, new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82]));
    assert.deepEqual(collect(tail).lines, ["a\ufffdb"]);
    append(path, new Uint8Array([0xac, 0x0a]));
    assert.deepEqual(collect(tail).lines, ["€"]);
  });
});

Deno.test("jsonl: a long file read in small chunks gives every line once", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    const want = Array.from({ length: 500 }, (_, i) => `{"i":${i},"pad":"${"p".repeat(i % 37)}"}`);
    append(path, want.join("\n") + "\n");
    const tail = new JsonlTail(path, { chunkBytes: 7 });
    assert.deepEqual(collect(tail).lines, want);
  });
});

Deno.test("readHeadLines: complete lines from the start of a file", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    append(path, "a\nbb\nccc");
    assert.deepEqual(readHeadLines(path, 1024), ["a", "bb"]);
    assert.deepEqual(readHeadLines(path, 1024, 1), ["a"]);
    assert.deepEqual(readHeadLines(path, 3), ["a"]);
    assert.deepEqual(readHeadLines(`${dir}/missing`, 1024), []);
  });
});

Deno.test("readTailLines: the whole lines of the last bytes, a cut first line and a half-written last one left out", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/history.jsonl`;
    Deno.writeTextFileSync(path, 'aaaa\nbbbb\r\ncccc\n{"half');
    assert.deepEqual(readTailLines(path, 1024), ["aaaa", "bbbb", "cccc"]);
    assert.deepEqual(readTailLines(path, 14), ["cccc"]);
    assert.deepEqual(readTailLines(path, 6), []);
    assert.deepEqual(readTailLines(`${dir}/missing`, 10), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("JsonlTail: many lines per read, CRLF, a blank line and a half-written last line", () => {
  withDir((dir) => {
    const path = `${dir}/t.jsonl`;
    const lines = Array.from({ length: 5000 }, (_, i) => `{"i":${i},"s":"${"é".repeat(i % 50)}"}`);
    append(path, lines.slice(0, 2500).join("\n") + "\r\n\n" + lines.slice(2500).join("\n") + '\n{"half');
    const tail = new JsonlTail(path, { chunkBytes: 4096 });
    const got = collect(tail).lines;
    assert.deepEqual(got, [...lines.slice(0, 2500), "", ...lines.slice(2500)]);
    append(path, '":1}\n');
    assert.deepEqual(collect(tail).lines, ['{"half":1}']);
  });
});
