import assert from "node:assert/strict";
import { Calendar, pointInTime } from "../../../agents/history/calendar.ts";

const t = (s: string) => Date.parse(s);

Deno.test("calendar: days in a zone across both DST changes", () => {
  const berlin = new Calendar("Europe/Berlin");
  assert.equal(berlin.key(t("2026-03-28T22:59:00Z"), "day"), "2026-03-28");
  assert.equal(berlin.key(t("2026-03-28T23:00:00Z"), "day"), "2026-03-29");
  // Summer time: the day now starts at 22:00Z.
  assert.equal(berlin.key(t("2026-03-29T21:59:00Z"), "day"), "2026-03-29");
  assert.equal(berlin.key(t("2026-03-29T22:00:00Z"), "day"), "2026-03-30");
  assert.equal(berlin.startOf("2026-03-29"), t("2026-03-28T23:00:00Z"));
  assert.equal(berlin.startOf("2026-03-30"), t("2026-03-29T22:00:00Z"));
  // Back to winter time on 2026-10-25: that day lasts 25 hours.
  assert.equal(berlin.startOf("2026-10-26") - berlin.startOf("2026-10-25"), 25 * 3_600_000);
});

Deno.test("calendar: half-hour zones, weeks from any weekday, months", () => {
  const kolkata = new Calendar("Asia/Kolkata");
  assert.equal(kolkata.startOf("2026-01-01"), t("2025-12-31T18:30:00Z"));
  assert.equal(kolkata.key(t("2025-12-31T18:29:00Z"), "month"), "2025-12");
  assert.equal(kolkata.key(t("2025-12-31T18:30:00Z"), "month"), "2026-01");
  const monday = new Calendar("UTC");
  assert.equal(monday.key(t("2026-11-29T12:00:00Z"), "week"), "2026-11-23"); // a Sunday
  assert.equal(monday.key(t("2026-11-30T00:00:00Z"), "week"), "2026-11-30");
  assert.equal(new Calendar("UTC", "sunday").key(t("2026-11-29T12:00:00Z"), "week"), "2026-11-29");
  assert.throws(() => new Calendar("Mars/Olympus"), RangeError);
});

Deno.test("calendar: --since and --until values", () => {
  const utc = new Calendar("UTC");
  const now = t("2026-12-06T12:00:00Z");
  assert.equal(pointInTime("2026-11-01", utc, now), t("2026-11-01T00:00:00Z"));
  assert.equal(pointInTime("2026-11-01", utc, now, true), t("2026-11-02T00:00:00Z"));
  assert.equal(pointInTime("7d", utc, now), now - 7 * 86_400_000);
  assert.equal(pointInTime("12w", utc, now), now - 84 * 86_400_000);
  assert.equal(pointInTime("90m", utc, now), now - 90 * 60_000);
  for (const bad of ["yesterday", "2026-13-01", "2026-02-30", "7", "-7d", "7y"]) {
    assert.equal(pointInTime(bad, utc, now), null, bad);
  }
});
