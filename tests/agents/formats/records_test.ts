/**
 * Times read in place from a line equal what `timestamp` (Date.parse) reads from the same text cut out,
 * valid or not.
 */
import assert from "node:assert/strict";
import { timestamp, timestampAt } from "../../../agents/formats/records.ts";

Deno.test("timestampAt: the time Date.parse reads, without cutting the text out, for every shape", () => {
  const texts = [
    "2026-11-24T03:32:03.978Z",
    "2024-02-29T23:59:59.999Z", // a leap day
    "2026-02-29T00:00:00.000Z", // no such day
    "2100-02-29T00:00:00.000Z", // no leap day in 2100
    "2000-02-29T12:00:00.000Z", // but in 2000
    "2026-04-31T00:00:00.000Z",
    "2026-13-01T00:00:00.000Z",
    "2026-00-10T00:00:00.000Z",
    "2026-12-00T00:00:00.000Z",
    "2026-12-31T24:00:00.000Z",
    "2026-12-31T23:60:00.000Z",
    "2026-12-31T23:59:60.000Z",
    "1969-12-31T23:59:59.999Z", // before 1970: not believed
    "3001-01-01T00:00:00.000Z", // after the year 3000: not believed
    "2026-11-24T03:32:03.978+01:00",
    "2026-11-24T03:32:03Z",
    "2026-11-24 03:32:03.978Z",
    "2026-11-24T03:32:03.97xZ",
    "not a time at all, 24 ch",
    "",
  ];
  for (const t of texts) {
    const line = `{"timestamp":"${t}","type":"user"}`;
    assert.equal(timestampAt(line, 14, 14 + t.length), timestamp(t), t);
  }
  // Every minute of a year, in place, as Date.parse reads it.
  for (let ms = Date.UTC(2028, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 7_777_777) {
    const t = new Date(ms).toISOString();
    assert.equal(timestampAt(`x${t}y`, 1, 25), ms, t);
  }
});
