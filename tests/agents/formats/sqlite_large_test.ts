/**
 * A quiescent WAL database too large to copy into memory is read in place as immutable: every row, no
 * `-wal` or `-shm` made beside it, the authorizer still on, and a change seen at the next read.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { immutableUri, MEMORY_COPY_LIMIT, readDatabase } from "../../../agents/formats/sqlite.ts";
import { tempDir } from "../../support/sessions.ts";

Deno.test("sqlite: a quiescent WAL database larger than the copy limit is read in place, making no file", async () => {
  const root = await tempDir();
  try {
    // A folder whose name SQLite would read as a query, a fragment and an escape (not on Windows, where
    // `?` cannot be in a name).
    const dir = Deno.build.os === "windows" ? root : `${root}/we?ird#%25 dir`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/opencode.db`;
    const w = new DatabaseSync(path);
    w.exec(`PRAGMA journal_mode = WAL;
      CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT);
      CREATE TABLE blob (b BLOB);
      CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c;
      INSERT INTO session VALUES ('ses_1', 'first'), ('ses_2', 'second');`);
    w.prepare("INSERT INTO blob VALUES (zeroblob(?))").run(MEMORY_COPY_LIMIT + 1024 * 1024);
    w.close();
    const files = () => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(files(), ["opencode.db"]);
    assert.ok(Deno.statSync(path).size > MEMORY_COPY_LIMIT);

    const titles = () =>
      readDatabase(path, (d) => d.all("SELECT title FROM session ORDER BY id").map((r) => r.title));
    assert.deepEqual(titles(), ["first", "second"]);
    assert.equal(
      readDatabase(path, (d) => d.all("SELECT x FROM endless LIMIT 1")),
      null,
      "a view is refused",
    );
    assert.deepEqual(files(), ["opencode.db"], "no -wal or -shm made");

    // Written again (and closed): the next read sees the new row.
    const again = new DatabaseSync(path);
    again.exec("INSERT INTO session VALUES ('ses_3', 'third')");
    again.close();
    assert.deepEqual(titles(), ["first", "second", "third"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("sqlite: the immutable URI escapes what SQLite reads as a query or an escape, and roots a drive", () => {
  assert.equal(
    immutableUri("/home/me/.local/share/opencode/opencode.db"),
    "file:/home/me/.local/share/opencode/opencode.db?immutable=1",
  );
  assert.equal(immutableUri("/srv/a?b#c%d e.db"), "file:/srv/a%3fb%23c%25d e.db?immutable=1");
  assert.equal(immutableUri("C:\\Users\\me\\opencode.db"), "file:/C:/Users/me/opencode.db?immutable=1");
});
