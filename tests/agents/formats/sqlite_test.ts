/** Reading SQLite databases as session readers do: missing files, tables and columns. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { readDatabase } from "../../../agents/formats/sqlite.ts";
import { OpenCodeSessionSource } from "../../../agents/vendors/opencode/sessions.ts";
import { GooseSessionSource } from "../../../agents/vendors/goose/sessions.ts";
import { CrushSessionSource } from "../../../agents/vendors/crush/sessions.ts";
import { NOW, tempDir } from "../../support/sessions.ts";

Deno.test("sqlite: missing files, missing tables and missing columns", async () => {
  const root = await tempDir();
  try {
    assert.equal(readDatabase(`${root}/none.db`, () => 1), null);
    Deno.writeTextFileSync(
      `${root}/text.db`,
      "not a database at all, just text that is long enough ".repeat(4),
    );
    assert.equal(readDatabase(`${root}/text.db`, (d) => d.all("SELECT 1")), null);
    const db = new DatabaseSync(`${root}/x.db`);
    db.exec("CREATE TABLE t (a INTEGER)");
    db.exec("INSERT INTO t VALUES (7)");
    db.close();
    const row = readDatabase(`${root}/x.db`, (d) => d.get(`SELECT ${d.select("t", ["a", "b"])} FROM t`));
    assert.deepEqual({ ...row as object }, { a: 7, b: null });
    assert.equal(readDatabase(`${root}/x.db`, (d) => d.columns("nope").size), 0);
    assert.equal(
      new OpenCodeSessionSource().read({ path: `${root}/x.db#ses_1`, id: "ses_1", linkedBy: "cwd" }, NOW),
      null,
    );
    assert.equal(
      new GooseSessionSource().read({ path: `${root}/x.db#1`, id: "1", linkedBy: "cwd" }, NOW),
      null,
    );
    assert.equal(
      new CrushSessionSource().read({ path: `${root}/x.db#1`, id: "1", linkedBy: "cwd" }, NOW),
      null,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
