/**
 * The config file, read-only: `$AGTOP_CONFIG`, else `$XDG_CONFIG_HOME/agtop/config.toml`, else
 * `~/.config/agtop/config.toml`.
 *
 * ```toml
 * theme = "nord"                       # a name from `agtop --help`
 * interval = 2                         # seconds between live-view refreshes, at least 0.2
 * hidden = ["copilot", "Aider"]        # agent ids or labels never shown
 * columns = ["status", "agent", "project", "doing", "cost"]   # table columns, in this order
 * private = true                       # as --private
 *
 * [data_dirs]                          # more data directories per agent (several profiles)
 * claude = ["~/.claude-work", "~/.claude-personal"]
 * codex = ["~/.codex-work"]
 *
 * [notify]                             # the live view, when an agent needs you
 * mode = "on"                          # on, quiet (no bell), bell (bell only), off
 * on = ["waiting", "limited", "error", "alert"]   # which changes notify
 *
 * [alerts]                             # thresholds; each is optional
 * cost_per_hour = 5                    # USD per hour over the last 10 minutes
 * cost_per_day = 40                    # USD the sessions active today may cost together
 * context_percent = 85                 # context fill
 * tokens_per_minute = 50000
 * tool_minutes = 10                    # one tool call running this long
 * repeated_calls = 5                   # the same tool call with the same argument, in a row (at most 8)
 * stalled_minutes = 15                 # busy without a new transcript record
 *
 * [serve]                              # agtop serve only
 * hosts = ["metrics.example.org"]      # Host names answered besides addresses and loopback (as --host)
 * token_file = "/etc/agtop/token"      # require `Authorization: Bearer <first line of this file>`
 * tls_cert = "/etc/agtop/cert.pem"     # serve HTTPS with this certificate chain …
 * tls_key = "/etc/agtop/key.pem"       # … and key (PEM; both or neither)
 * ```
 *
 * Every key is optional. A file that cannot be used (TOML syntax, an unknown key, a wrong type or value)
 * is a {@linkcode TomlFileError} whose one-line message names the file and the line. TOML is only loaded
 * when the file exists.
 *
 * @module
 */

import { COLUMNS } from "../render/columns.ts";
import { isThemeName, themeError, type ThemeName } from "../render/themes.ts";
import { PROFILE_ENV } from "../agents/profiles.ts";
import { readUserFile } from "../agents/formats/regular.ts";
import { parseToml, TomlFileError, TomlLines, unreadable } from "../platform/toml_file.ts";
import { MIN_INTERVAL } from "./args.ts";
import type { AlertThresholds } from "../render/alerts.ts";
import { NOTIFY_MODES, NOTIFY_ON, type NotifyMode, type NotifyOn } from "../render/watch/notify_settings.ts";

/** What the config file says; `null` (or empty) where it says nothing. */
export interface Config {
  /** The file it was read from. */
  path: string;
  theme: ThemeName | null;
  /** Seconds between refreshes of the live view, at least {@linkcode MIN_INTERVAL}. */
  interval: number | null;
  /** Agent ids (`copilot`) or labels (`Copilot CLI`) whose rows are never shown; compare case-insensitively. */
  hidden: string[];
  /** Ids of the table's columns (`render/columns.ts`), in the order given; null for all of them. */
  columns: string[] | null;
  /** Extra data directories by vendor id (`claude`, `codex`, …): absolute, `~` expanded. */
  dataDirs: Record<string, string[]>;
  /** Hide private text, as `--private`. */
  private: boolean | null;
  /** `[notify] mode`: how the live view notifies; null when not set. */
  notifyMode: NotifyMode | null;
  /** `[notify] on`: which changes notify; null when not set. */
  notifyOn: NotifyOn[] | null;
  /** `[alerts]`: thresholds, by their camel-case names. */
  alerts: AlertThresholds;
  /** The `[serve]` table. */
  serve: ServeConfig;
}

/** `[alerts]` keys and the threshold each sets. */
const ALERT_KEYS: Record<string, keyof AlertThresholds> = {
  cost_per_hour: "costPerHour",
  cost_per_day: "costPerDay",
  context_percent: "contextPercent",
  tokens_per_minute: "tokensPerMinute",
  tool_minutes: "toolMinutes",
  repeated_calls: "repeatedCalls",
  stalled_minutes: "stalledMinutes",
};

/** What the config file's `[serve]` table says; file paths absolute, `~` expanded. */
export interface ServeConfig {
  hosts: string[];
  tokenFile: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
}

const SERVE_KEYS = ["hosts", "token_file", "tls_cert", "tls_key"];

const KEYS = ["theme", "interval", "hidden", "columns", "private", "data_dirs", "notify", "alerts", "serve"];

/** Agents whose data directory a profile can name (see agents/profiles.ts). */
const DATA_VENDORS = Object.keys(PROFILE_ENV);

type Env = (key: string) => string | undefined;
const processEnv: Env = (k) => Deno.env.get(k);

const homeOf = (env: Env) => env("HOME") || env("USERPROFILE") || null;

/**
 * Where the config file is: `AGTOP_CONFIG`, else `$XDG_CONFIG_HOME/agtop/config.toml`, else
 * `~/.config/agtop/config.toml`; null when neither variable nor a home directory is known.
 *
 * @example
 * ```ts
 * configPath((k) => ({ HOME: "/home/me" } as Record<string, string>)[k]); // "/home/me/.config/agtop/config.toml"
 * ```
 */
export function configPath(env: Env = processEnv): string | null {
  const explicit = env("AGTOP_CONFIG");
  if (explicit) return explicit;
  const xdg = env("XDG_CONFIG_HOME");
  if (xdg) return `${xdg}/agtop/config.toml`;
  const home = homeOf(env);
  return home ? `${home}/.config/agtop/config.toml` : null;
}

/**
 * Reads the config file at `path`, or at {@linkcode configPath} when none is given. A missing file is
 * no config (null); only `AGTOP_CONFIG` naming a missing file is an error, since the user asked for
 * that file.
 *
 * @throws {TomlFileError} when the file cannot be read or used.
 * @example
 * ```ts
 * const config = await loadConfig(); // null without a config file
 * config?.theme; // "nord"
 * ```
 */
export async function loadConfig(path?: string): Promise<Config | null> {
  const file = path ?? configPath();
  if (file === null) return null;
  let source: string;
  try {
    source = readUserFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && (path !== undefined || !Deno.env.get("AGTOP_CONFIG"))) {
      return null;
    }
    throw unreadable(file, e);
  }
  return new Reader(file, source).config(await parseToml(file, source));
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  return typeof value === "object" && value !== null ? "a table" : String(value);
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Checks a parsed document and turns it into a {@linkcode Config}, with lines for its errors. */
class Reader {
  #lines: TomlLines;

  constructor(readonly path: string, source: string) {
    this.#lines = new TomlLines(source);
  }

  /** An error at the line that sets `keys` (or the nearest table that holds it), or at the line of `item`. */
  error(keys: string[], detail: string, item?: string): TomlFileError {
    let line = this.#lines.line(keys);
    if (line !== null && item !== undefined) {
      const quoted = [JSON.stringify(item), `'${item}'`];
      const at = this.#lines.lines.findIndex((text, i) =>
        i >= line! - 1 && quoted.some((q) => text.includes(q))
      );
      if (at >= 0) line = at + 1;
    }
    return new TomlFileError(this.path, line, detail);
  }

  config(doc: Record<string, unknown>): Config {
    const config: Config = {
      path: this.path,
      theme: null,
      interval: null,
      hidden: [],
      columns: null,
      dataDirs: {},
      private: null,
      notifyMode: null,
      notifyOn: null,
      alerts: {},
      serve: { hosts: [], tokenFile: null, tlsCert: null, tlsKey: null },
    };
    for (const [key, value] of Object.entries(doc)) {
      switch (key) {
        case "theme":
          if (typeof value !== "string" || !isThemeName(value)) {
            throw this.error(
              [key],
              typeof value === "string"
                ? themeError(value)
                : `theme must be a theme's name, not ${show(value)}`,
            );
          }
          config.theme = value;
          break;
        case "interval":
          if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_INTERVAL) {
            throw this.error([key], `interval must be seconds ≥ ${MIN_INTERVAL}, not ${show(value)}`);
          }
          config.interval = value;
          break;
        case "hidden":
          config.hidden = this.strings([key], value, "agent ids or labels");
          break;
        case "columns":
          config.columns = this.columns(value);
          break;
        case "private":
          if (typeof value !== "boolean") {
            throw this.error([key], `private must be true or false, not ${show(value)}`);
          }
          config.private = value;
          break;
        case "data_dirs":
          config.dataDirs = this.dataDirs(value);
          break;
        case "notify":
          Object.assign(config, this.notify(value));
          break;
        case "alerts":
          config.alerts = this.alerts(value);
          break;
        case "serve":
          config.serve = this.serve(value);
          break;
        default:
          throw this.error([key], `unknown key ${JSON.stringify(key)} (expected ${KEYS.join(", ")})`);
      }
    }
    return config;
  }

  /** An array of non-empty strings. */
  strings(keys: string[], value: unknown, what: string): string[] {
    const name = keys.join(".");
    if (!Array.isArray(value)) {
      throw this.error(keys, `${name} must be an array of ${what}, not ${show(value)}`);
    }
    for (const v of value) {
      if (typeof v !== "string" || v.trim() === "") {
        throw this.error(
          keys,
          `${name} must hold ${what}, not ${show(v)}`,
          typeof v === "string" ? v : undefined,
        );
      }
    }
    return value as string[];
  }

  columns(value: unknown): string[] {
    const ids = this.strings(["columns"], value, "column ids");
    if (!ids.length) throw this.error(["columns"], "columns must name at least one column");
    const known = COLUMNS.map((c) => c.id);
    ids.forEach((id, i) => {
      if (!known.includes(id)) {
        throw this.error(
          ["columns"],
          `unknown column ${JSON.stringify(id)} (expected ${known.join(", ")})`,
          id,
        );
      }
      if (ids.indexOf(id) !== i) {
        throw this.error(["columns"], `column ${JSON.stringify(id)} given twice`, id);
      }
    });
    return ids;
  }

  notify(value: unknown): Pick<Config, "notifyMode" | "notifyOn"> {
    if (!isTable(value)) throw this.error(["notify"], `notify must be a table, not ${show(value)}`);
    const out: Pick<Config, "notifyMode" | "notifyOn"> = { notifyMode: null, notifyOn: null };
    for (const [key, v] of Object.entries(value)) {
      const keys = ["notify", key];
      if (key === "mode") {
        if (typeof v !== "string" || !(NOTIFY_MODES as readonly string[]).includes(v)) {
          throw this.error(keys, `notify.mode must be one of ${NOTIFY_MODES.join(", ")}, not ${show(v)}`);
        }
        out.notifyMode = v as NotifyMode;
      } else if (key === "on") {
        const on = this.strings(keys, v, "changes");
        const bad = on.find((x) => !(NOTIFY_ON as readonly string[]).includes(x));
        if (bad !== undefined) {
          throw this.error(
            keys,
            `notify.on: unknown change ${JSON.stringify(bad)} (expected ${NOTIFY_ON.join(", ")})`,
            bad,
          );
        }
        out.notifyOn = on as NotifyOn[];
      } else {throw this.error(
          keys,
          `unknown key ${JSON.stringify(`notify.${key}`)} (expected notify.mode, notify.on)`,
        );}
    }
    return out;
  }

  alerts(value: unknown): AlertThresholds {
    if (!isTable(value)) throw this.error(["alerts"], `alerts must be a table, not ${show(value)}`);
    const out: AlertThresholds = {};
    for (const [key, v] of Object.entries(value)) {
      const keys = ["alerts", key];
      const name = ALERT_KEYS[key];
      if (!name) {
        throw this.error(
          keys,
          `unknown key ${JSON.stringify(`alerts.${key}`)} (expected ${Object.keys(ALERT_KEYS).join(", ")})`,
        );
      }
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
        throw this.error(keys, `alerts.${key} must be a number > 0, not ${show(v)}`);
      }
      out[name] = v;
    }
    return out;
  }

  serve(value: unknown): ServeConfig {
    if (!isTable(value)) throw this.error(["serve"], `serve must be a table, not ${show(value)}`);
    const out: ServeConfig = { hosts: [], tokenFile: null, tlsCert: null, tlsKey: null };
    for (const [key, v] of Object.entries(value)) {
      const keys = ["serve", key];
      if (key === "hosts") {
        out.hosts = this.strings(keys, v, "host names");
        continue;
      }
      if (!SERVE_KEYS.includes(key)) {
        throw this.error(
          keys,
          `serve: unknown key ${JSON.stringify(key)} (expected ${SERVE_KEYS.join(", ")})`,
        );
      }
      if (typeof v !== "string" || v.trim() === "") {
        throw this.error(keys, `serve.${key} must be a file path, not ${show(v)}`);
      }
      const path = this.filePath(keys, v);
      if (key === "token_file") out.tokenFile = path;
      else if (key === "tls_cert") out.tlsCert = path;
      else out.tlsKey = path;
    }
    if ((out.tlsCert === null) !== (out.tlsKey === null)) {
      throw this.error(["serve"], "serve: tls_cert and tls_key go together");
    }
    return out;
  }

  /** A path from the file: `~` expanded, absolute. */
  filePath(keys: string[], dir: string): string {
    const full = expandHome(dir);
    if (full === null) throw this.error(keys, `${keys.join(".")}: no home directory for ${dir}`, dir);
    if (!isAbsolute(full)) {
      throw this.error(
        keys,
        `${keys.join(".")}: ${JSON.stringify(dir)} must be absolute or start with ~/`,
        dir,
      );
    }
    return full;
  }

  dataDirs(value: unknown): Record<string, string[]> {
    if (!isTable(value)) throw this.error(["data_dirs"], `data_dirs must be a table, not ${show(value)}`);
    const out: Record<string, string[]> = {};
    for (const [vendor, dirs] of Object.entries(value)) {
      const keys = ["data_dirs", vendor];
      if (!DATA_VENDORS.includes(vendor)) {
        throw this.error(
          keys,
          `data_dirs: unknown agent ${JSON.stringify(vendor)} (expected ${DATA_VENDORS.join(", ")})`,
        );
      }
      out[vendor] = this.strings(keys, dirs, "directories").map((dir) => this.filePath(keys, dir));
    }
    return out;
  }
}

/**
 * `~` and `~/…` with the home directory put in (`HOME`, else `USERPROFILE`); other paths as they are;
 * null when the path starts with `~` and no home directory is known.
 *
 * @example
 * ```ts
 * expandHome("~/.claude-work", (k) => (k === "HOME" ? "/home/me" : undefined)); // "/home/me/.claude-work"
 * ```
 */
export function expandHome(path: string, env: Env = processEnv): string | null {
  if (path !== "~" && !path.startsWith("~/") && !path.startsWith("~\\")) return path;
  const home = homeOf(env);
  return home === null ? null : home + path.slice(1);
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}
