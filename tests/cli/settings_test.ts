import assert from "node:assert/strict";
import { parseCommandLine, UsageError } from "../../cli/args.ts";
import type { Config } from "../../cli/config.ts";
import { DEFAULT_INTERVAL, DEFAULT_SERVE_INTERVAL, RECENT_MS, resolveSettings } from "../../cli/settings.ts";

const CONFIG: Config = {
  path: "/c.toml",
  theme: "nord",
  interval: 3,
  hidden: ["copilot"],
  columns: ["agent", "status"],
  dataDirs: { claude: ["/w"] },
  private: true,
  notifyMode: "quiet",
  notifyOn: ["waiting"],
  alerts: { contextPercent: 90 },
  serve: { hosts: ["metrics.example.org"], tokenFile: null, tlsCert: null, tlsKey: null },
};

const settings = (args: string[], config: Config | null = null) =>
  resolveSettings(parseCommandLine(args), config);

Deno.test("settings: defaults without flags or config file", () => {
  const s = settings(["ls"]);
  assert.equal(s.format, "table");
  assert.equal(s.sort, "cpu");
  assert.equal(s.theme, "default");
  assert.equal(s.private, false);
  assert.deepEqual(s.hidden, []);
  assert.equal(s.columns, null);
  assert.deepEqual(s.dataDirs, {});
  assert.equal(s.sampleMs, 250);
  assert.equal(s.top, null);
  assert.equal(s.recentMs, null);
  assert.equal(settings(["watch"]).interval, DEFAULT_INTERVAL);
  assert.equal(settings(["serve"]).interval, DEFAULT_SERVE_INTERVAL);
});

Deno.test("settings: the config file over the defaults, a flag over the config file", () => {
  const fromConfig = settings(["watch"], CONFIG);
  assert.equal(fromConfig.theme, "nord");
  assert.equal(fromConfig.interval, 3);
  assert.equal(fromConfig.private, true);
  assert.deepEqual(fromConfig.hidden, ["copilot"]);
  assert.deepEqual(fromConfig.dataDirs, { claude: ["/w"] });
  const flags = settings(["watch", "--theme", "light", "--interval", "0.5"], CONFIG);
  assert.equal(flags.theme, "light");
  assert.equal(flags.interval, 0.5);
  assert.equal(settings(["serve"], CONFIG).interval, DEFAULT_SERVE_INTERVAL, "serve has no config interval");
  assert.equal(settings(["ls", "--private"]).private, true);
});

Deno.test("settings: option values checked once, with the usual one-line errors", () => {
  const s = settings(["ls", "--all", "--since", "2h", "-n", "3", "--sort", "mem", "-o", "json"]);
  assert.deepEqual([s.recentMs, s.top, s.sort, s.format], [7_200_000, 3, "mem", "json"]);
  assert.equal(settings(["ls", "--all"]).recentMs, RECENT_MS);
  assert.throws(() => settings(["ls", "--top", "x"]), UsageError);
  assert.throws(() => settings(["watch", "--interval", "0.1"]), UsageError);
});

Deno.test("settings: notifications from the config file, off under --no-notify; alerts from the file", () => {
  assert.deepEqual(settings(["watch"]).notify, { mode: "on", on: ["waiting", "limited", "error", "alert"] });
  assert.deepEqual(settings(["watch"], CONFIG).notify, { mode: "quiet", on: ["waiting"] });
  assert.equal(settings(["watch", "--no-notify"], CONFIG).notify.mode, "off");
  assert.deepEqual(settings(["events"], CONFIG).alerts, { contextPercent: 90 });
});

Deno.test("settings: wait and events options", () => {
  const s = settings(["wait", "--pid", "4242", "--for", "done", "--timeout", "90s"]);
  assert.deepEqual([s.pid, s.waitFor, s.timeoutMs], [4242, "done", 90_000]);
  const d = settings(["wait"]);
  assert.deepEqual([d.pid, d.waitFor, d.timeoutMs], [null, "waiting", null]);
  assert.equal(settings(["events", "--format", "text"]).eventFormat, "text");
  assert.equal(settings(["events"]).eventFormat, "json");
  assert.throws(() => settings(["wait", "--for", "busy"]), UsageError);
  assert.throws(() => settings(["wait", "--timeout", "soon"]), UsageError);
});
