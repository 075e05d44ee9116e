/**
 * Hostile SQLite stores: a view, a recursive CTE, a trigger, a virtual table or a generated column
 * where a reader expects a plain table. The reads run in a subprocess with a timeout, so a regression
 * (a query that runs for ever) fails here instead of hanging the suite.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { tempDir } from "../../support/sessions.ts";

const SQLITE = new URL("../../../agents/formats/sqlite.ts", import.meta.url).href;
const ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c";

/** Runs `code` (with `readDatabase` and `db` in scope) in a subprocess; its stdout, or a failure after 20 s. */
async function probe(db: string, code: string): Promise<string> {
  const script = `import { readDatabase } from ${JSON.stringify(SQLITE)};
const db = ${JSON.stringify(db)};
${code}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  assert.equal(out.signal, null, "the read ran until killed");
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("sqlite: a view, recursion, a virtual table or a generated column where a table belongs is refused", async () => {
  const root = await tempDir();
  try {
    const path = `${root}/opencode.db`;
    const db = new DatabaseSync(path);
    db.exec(`CREATE VIEW session AS SELECT x AS id, x AS time_updated FROM (${ENDLESS})`);
    db.exec(`CREATE TABLE message (id TEXT, session_id TEXT, slow AS (length(zeroblob(1000000000))))`);
    db.exec(`INSERT INTO message (id, session_id) VALUES ('m1', 's1')`);
    db.exec(`CREATE TABLE log (x)`);
    db.exec(`CREATE TRIGGER grow AFTER INSERT ON log BEGIN INSERT INTO log SELECT x FROM (${ENDLESS}); END`);
    db.exec(`CREATE VIRTUAL TABLE part USING fts5(id, data)`);
    db.close();
    const out = await probe(
      path,
      `const r = (f) => { const v = readDatabase(db, f); return v === null ? "null" : JSON.stringify(v); };
console.log([
  r((d) => d.all("SELECT id FROM session ORDER BY time_updated DESC LIMIT 5")),
  r((d) => [...d.columns("session")]),
  r((d) => d.all("SELECT id, slow FROM message")),
  r((d) => d.select("message", ["id", "slow"])),
  r((d) => d.all("SELECT id FROM message")),
  r((d) => d.all(\`${ENDLESS} LIMIT 3\`)),
  r((d) => d.all("SELECT id FROM part")),
  r((d) => d.all("INSERT INTO log VALUES (1)")),
].join("\\n"));`,
    );
    assert.deepEqual(out.split("\n"), [
      "null", // a view
      "[]", // a view has no columns to select
      "null", // a generated column is computed on read
      '"\\"id\\", NULL AS \\"slow\\""',
      '[{"id":"m1"}]', // the stored columns of the same table read fine
      "null", // recursion
      "null", // a virtual table
      "null", // anything but reading
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("sqlite: a FIFO or a device as the database, its -wal or its -shm is not opened", async () => {
  if (Deno.build.os === "windows") return;
  const root = await tempDir();
  try {
    const mkfifo = (p: string) => new Deno.Command("mkfifo", { args: [p] }).outputSync();
    mkfifo(`${root}/fifo.db`);
    Deno.symlinkSync("/dev/zero", `${root}/zero.db`);
    const db = new DatabaseSync(`${root}/wal.db`);
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (a); INSERT INTO t VALUES (1)");
    db.close();
    mkfifo(`${root}/wal.db-wal`);
    mkfifo(`${root}/wal.db-shm`);
    const out = await probe(
      root,
      `console.log(["fifo.db", "zero.db", "wal.db"].map((n) => readDatabase(\`\${db}/\${n}\`, (d) => d.all("SELECT 1"))).join(","));`,
    );
    assert.equal(out, ",,");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
