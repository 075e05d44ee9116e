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

Deno.test("calendar: UTC by any of its names is UTC, told without Intl as Intl tells it", () => {
  const intl = new Intl.DateTimeFormat("en-CA", { timeZone: "UTC" });
  for (const name of ["UTC", "utc", "Etc/UTC", "GMT", "etc/gmt"]) {
    const cal = new Calendar(name);
    assert.equal(cal.zone, "UTC", name);
    for (let at = t("2026-12-31T22:00:00Z"); at < t("2027-01-01T02:00:00Z"); at += 15 * 60_000) {
      assert.equal(cal.date(at), intl.format(at), `${name} ${new Date(at).toISOString()}`);
    }
  }
});

/**
 * What `Calendar.local()` says in a process whose `TZ` is `tz`, beside what `Intl` says for the zone
 * `intlZone`: the zone's name and, for every 15-minute slot from `from` for `hours`, both dates.
 */
async function localCalendar(
  tz: string,
  intlZone: string,
  from: string,
  hours: number,
): Promise<{ zone: string; dates: [string, string][] }> {
  const url = new URL("../../../agents/history/calendar.ts", import.meta.url).href;
  const code = `
    const { Calendar } = await import(${JSON.stringify(url)});
    const local = Calendar.local();
    const intl = new Intl.DateTimeFormat("en-CA", { timeZone: ${JSON.stringify(intlZone)} });
    const dates = [];
    for (let i = 0; i < ${hours * 4}; i++) {
      const at = Date.parse(${JSON.stringify(from)}) + i * 15 * 60_000;
      dates.push([local.date(at), intl.format(at)]);
    }
    console.log(JSON.stringify({ zone: local.zone, dates }));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { TZ: tz },
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Windows keeps its own zone setting: `TZ` does not move the clock there. */
const TZ_MOVES_THE_CLOCK = Deno.build.os !== "windows";

Deno.test({
  name: "calendar: the system's zone, told by the clock's local time, across both DST changes",
  ignore: !TZ_MOVES_THE_CLOCK,
}, async () => {
  for (const from of ["2026-03-28T18:00:00Z", "2026-10-24T18:00:00Z"]) {
    const { zone, dates } = await localCalendar("Europe/Berlin", "Europe/Berlin", from, 36);
    assert.equal(zone, "Europe/Berlin");
    for (const [local, intl] of dates) assert.equal(local, intl);
    assert.ok(new Set(dates.map(([d]) => d)).size >= 2);
  }
  const kolkata = await localCalendar("Asia/Kolkata", "Asia/Kolkata", "2025-12-31T12:00:00Z", 12);
  assert.equal(kolkata.zone, "Asia/Kolkata");
  for (const [local, intl] of kolkata.dates) assert.equal(local, intl);
  // A zone named by its file in the database, which Intl cannot name.
  const file = ["/usr/share/zoneinfo/Asia/Tokyo", "/var/db/timezone/zoneinfo/Asia/Tokyo"].find((f) => {
    try {
      return Deno.statSync(f).isFile;
    } catch {
      return false;
    }
  });
  if (file) {
    const tokyo = await localCalendar(`:${file}`, "Asia/Tokyo", "2026-06-30T12:00:00Z", 12);
    assert.equal(tokyo.zone, "Asia/Tokyo");
    for (const [local, intl] of tokyo.dates) assert.equal(local, intl);
  }
});

Deno.test(
  { name: "calendar: a TZ that names no zone keeps UTC, and says so", ignore: !TZ_MOVES_THE_CLOCK },
  async () => {
    for (const tz of ["", "Mars/Olympus"]) {
      const { zone, dates } = await localCalendar(tz, "UTC", "2026-12-31T20:00:00Z", 8);
      assert.equal(zone, "UTC", JSON.stringify(tz));
      for (const [local, intl] of dates) assert.equal(local, intl);
    }
  },
);
