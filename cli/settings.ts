/**
 * Settings resolved once: each from its flag, else the config file, else the default. Every command
 * reads this one typed object instead of the raw option values.
 *
 * @module
 */

import {
  choiceOption,
  durationOption,
  intervalOption,
  intOption,
  listOption,
  type ParsedArgs,
  stringOption,
} from "./args.ts";
import { EVENT_FORMATS, LS_FORMATS, SORT_KEYS, WAIT_STATES } from "./commands.ts";
import type { Config } from "./config.ts";
import type { LsOptions } from "./ls.ts";
import { VERSION } from "./version.ts";
import { type CollectorSettings, vendorsFor } from "../agents/collect/collector.ts";
import { loadPriceTable } from "../agents/pricing/overrides.ts";
import type { AlertThresholds } from "../render/alerts.ts";
import { DEFAULT_NOTIFY, type NotifySettings } from "../render/watch/notify_settings.ts";

/** Default seconds between refreshes of the live view. */
export const DEFAULT_INTERVAL = 1.5;

/** Default seconds between collections of `serve`. */
export const DEFAULT_SERVE_INTERVAL = 5;

/** Default seconds a collection of `serve` may run before its worker is restarted. */
export const DEFAULT_SERVE_TIMEOUT = 30;

/** How far back `--all` (and the live view's `a`) looks for sessions whose process is gone, by default. */
export const RECENT_MS = 24 * 3600 * 1000;

/** Default ms between the two samples of `ls` (CPU% needs two). */
const DEFAULT_SAMPLE_MS = 250;

/** Everything the commands read from flags, environment and config file. */
export interface Settings extends Required<LsOptions> {
  /** Custom recognisers `LABEL=REGEX`: `--match` (repeatable), then `AGTOP_MATCH` (`;`-separated). */
  matchSpecs: string[];
  /** Price overrides file: `--prices`, else `AGTOP_PRICES`; null for the bundled table alone. */
  pricesPath: string | null;
  /** More data directories per vendor id (config `[data_dirs]`). */
  dataDirs: Record<string, string[]>;
  /** Seconds between collections: `--interval`, else (live view) config `interval`, else the default. */
  interval: number;
  /** Also show recent sessions whose process is gone (`--all`). */
  all: boolean;
  /** With `all`: how far back (`--since`, default a day); null without `all`. */
  recentMs: number | null;
  /** Ms between the two samples of `ls` (`--sample`); 0 takes one. */
  sampleMs: number;
  /** Print notices (`--verbose`). */
  verbose: boolean;
  /** `serve --listen`, as given. */
  listen: string | undefined;
  /** `events --format`. */
  eventFormat: (typeof EVENT_FORMATS)[number];
  /** `wait --pid`; null for any agent (or the ones `filter` matches). */
  pid: number | null;
  /** `wait --for`. */
  waitFor: (typeof WAIT_STATES)[number];
  /** `wait --timeout` in ms; null waits as long as it takes (and for every other command). */
  timeoutMs: number | null;
  /** How the live view notifies: config `[notify]`; `--no-notify` turns it off. */
  notify: NotifySettings;
  /** Alert thresholds (config `[alerts]`). */
  alerts: AlertThresholds;
  /** `serve`: Host names answered besides the built-in ones (`--host`, then config `[serve] hosts`). */
  hosts: string[];
  /** `serve --timeout`: seconds a collection may run before its worker is restarted (the default elsewhere). */
  timeout: number;
}

/**
 * The settings of a command line: flag over config file over default.
 *
 * @throws {UsageError} on a bad option value.
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * import { loadConfig } from "./config.ts";
 *
 * resolveSettings(parseCommandLine(["ls", "--private"]), await loadConfig()).private; // true
 * ```
 */
export function resolveSettings(parsed: ParsedArgs, config: Config | null): Settings {
  const { values } = parsed;
  const env = Deno.env.get("AGTOP_MATCH");
  const matchSpecs = [
    ...listOption(values, "match"),
    ...(env ? env.split(";").map((s) => s.trim()).filter(Boolean) : []),
  ];
  const interval = stringOption(values, "interval");
  const all = values.all === true;
  return {
    matchSpecs,
    pricesPath: (stringOption(values, "prices") ?? Deno.env.get("AGTOP_PRICES")) || null,
    dataDirs: config?.dataDirs ?? {},
    // `doctor --format` has formats of its own (cli/doctor.ts).
    format: parsed.command === "doctor" ? "table" : choiceOption(values, "format", LS_FORMATS, "table"),
    filter: stringOption(values, "filter") ?? "",
    sort: choiceOption(values, "sort", SORT_KEYS, "cpu"),
    reverse: values.reverse === true,
    top: intOption(values, "top", null),
    noColor: values["no-color"] === true,
    theme: stringOption(values, "theme") ?? config?.theme ?? "default",
    private: values.private === true || config?.private === true,
    hidden: config?.hidden ?? [],
    columns: config?.columns ?? null,
    interval: parsed.command === "serve"
      ? intervalOption(interval, DEFAULT_SERVE_INTERVAL)
      : interval === undefined && config?.interval
      ? config.interval
      : intervalOption(interval, DEFAULT_INTERVAL),
    all,
    recentMs: all ? durationOption(values, "since", RECENT_MS) : null,
    sampleMs: intOption(values, "sample", DEFAULT_SAMPLE_MS) ?? DEFAULT_SAMPLE_MS,
    verbose: values.verbose === true,
    listen: stringOption(values, "listen"),
    eventFormat: choiceOption(values, "format", EVENT_FORMATS, "json"),
    pid: intOption(values, "pid", null),
    waitFor: choiceOption(values, "for", WAIT_STATES, "waiting"),
    // `--timeout` is a duration (`2h`) for wait and seconds for serve: read it as the command means it.
    timeoutMs: parsed.command !== "wait" || values.timeout === undefined
      ? null
      : durationOption(values, "timeout", 0),
    notify: {
      mode: values["no-notify"] === true ? "off" : config?.notifyMode ?? DEFAULT_NOTIFY.mode,
      on: config?.notifyOn ?? DEFAULT_NOTIFY.on,
    },
    alerts: config?.alerts ?? {},
    hosts: [...listOption(values, "host"), ...config?.serve.hosts ?? []],
    timeout: parsed.command === "serve"
      ? intervalOption(stringOption(values, "timeout"), DEFAULT_SERVE_TIMEOUT, "timeout")
      : DEFAULT_SERVE_TIMEOUT,
  };
}

/**
 * What the collector of these settings needs: the custom recognisers (checked first), the price table
 * (bundled, with the overrides file merged over it), the profiles' data directories.
 *
 * @throws {MatchSpecError} on a bad `--match` spec.
 * @throws {TomlFileError} when the price overrides file is unusable.
 * @example
 * ```ts
 * import { createCollector } from "../agents/collect/collector.ts";
 * import { processSource } from "../platform/mod.ts";
 *
 * declare const settings: Settings; // from resolveSettings
 * const collector = createCollector(await collectorSettings(settings), processSource());
 * ```
 */
export async function collectorSettings(settings: Settings): Promise<CollectorSettings> {
  vendorsFor(settings.matchSpecs);
  return {
    matchSpecs: settings.matchSpecs,
    prices: await loadPriceTable(settings.pricesPath),
    dataDirs: settings.dataDirs,
    version: VERSION,
    recentMs: settings.recentMs,
  };
}
