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
 * ```
 *
 * Every key is optional. A file that cannot be used (TOML syntax, an unknown key, a wrong type or value)
 * is a {@linkcode ConfigError} whose one-line message names the file and the line. TOML is only loaded
 * when the file exists.
 *
 * @module
 */

import { COLUMNS } from "../render/columns.ts";
import { isThemeName, themeError, type ThemeName } from "../render/themes.ts";
import { PROFILE_ENV } from "../agents/profiles.ts";

/** What the config file says; `null` (or empty) where it says nothing. */
export interface Config {
  /** The file it was read from. */
  path: string;
  theme: ThemeName | null;
  /** Seconds between refreshes of the live view, at least {@linkcode MIN_CONFIG_INTERVAL}. */
  interval: number | null;
  /** Agent ids (`copilot`) or labels (`Copilot CLI`) whose rows are never shown; compare case-insensitively. */
  hidden: string[];
  /** Ids of the table's columns (`render/columns.ts`), in the order given; null for all of them. */
  columns: string[] | null;
  /** Extra data directories by vendor id (`claude`, `codex`, …): absolute, `~` expanded. */
  dataDirs: Record<string, string[]>;
  /** Hide private text, as `--private`. */
  private: boolean | null;
}

/** A config file that cannot be used; the message is one line: `path:line: what is wrong`. */
export class ConfigError extends Error {
  /** The file. */
  readonly path: string;
  /** 1-based line of the problem, when known. */
  readonly line: number | null;

  /** Builds the message `path:line: detail` (`path: detail` without a line). */
  constructor(path: string, line: number | null, detail: string) {
    super(`${path}${line === null ? "" : `:${line}`}: ${detail}`);
    this.name = "ConfigError";
    this.path = path;
    this.line = line;
  }
}

/** Shortest refresh interval, in seconds (the live view's `--interval` has the same floor). */
export const MIN_CONFIG_INTERVAL = 0.2;

const KEYS = ["theme", "interval", "hidden", "columns", "private", "data_dirs"];

/** Vendors whose sessions agtop reads: the keys `[data_dirs]` takes. */
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
 * @throws {ConfigError} when the file cannot be read or used.
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
    source = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && (path !== undefined || !Deno.env.get("AGTOP_CONFIG"))) {
      return null;
    }
    throw new ConfigError(file, null, `cannot read: ${firstLine(e)}`);
  }
  const { parse, TomlError } = await import("smol-toml");
  let doc: Record<string, unknown>;
  try {
    doc = parse(source);
  } catch (e) {
    if (e instanceof TomlError) {
      throw new ConfigError(file, e.line, firstLine(e).replace(/^Invalid TOML document: /, ""));
    }
    throw e;
  }
  return new Reader(file, source).config(doc);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();
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
  #lines: string[];
  #keyLines: Map<string, number>;

  constructor(readonly path: string, source: string) {
    this.#lines = source.split(/\r?\n/);
    this.#keyLines = keyLines(this.#lines);
  }

  /** An error at the line that sets `keys` (or the nearest table that holds it), or at the line of `item`. */
  error(keys: string[], detail: string, item?: string): ConfigError {
    let line: number | null = null;
    for (let n = keys.length; n > 0 && line === null; n--) {
      line = this.#keyLines.get(keys.slice(0, n).join("\0")) ?? null;
    }
    if (line !== null && item !== undefined) {
      const quoted = [JSON.stringify(item), `'${item}'`];
      const at = this.#lines.findIndex((text, i) => i >= line! - 1 && quoted.some((q) => text.includes(q)));
      if (at >= 0) line = at + 1;
    }
    return new ConfigError(this.path, line, detail);
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
          if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_CONFIG_INTERVAL) {
            throw this.error([key], `interval must be seconds ≥ ${MIN_CONFIG_INTERVAL}, not ${show(value)}`);
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
      out[vendor] = this.strings(keys, dirs, "directories").map((dir) => {
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
      });
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

/** Splits a TOML key (`data_dirs.claude`, `"a b".c`) into its parts; null when it is not one. */
function keyPath(text: string): string[] | null {
  const keys: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    keys.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2] ?? m[3]);
    if (m[4] === "") return keys;
  }
  return null;
}

/** The first line (1-based) of each key path that a table header or `key =` names. Best effort, for messages. */
function keyLines(lines: string[]): Map<string, number> {
  const found = new Map<string, number>();
  let table: string[] = [];
  const note = (path: string[], line: number) => {
    for (let i = 1; i <= path.length; i++) {
      const key = path.slice(0, i).join("\0");
      if (!found.has(key)) found.set(key, line);
    }
  };
  lines.forEach((text, i) => {
    const header = /^\s*\[([^\[\]]+)\]\s*(?:#.*)?$/.exec(text);
    if (header) {
      table = keyPath(header[1]) ?? [];
      note(table, i + 1);
      return;
    }
    const assign = /^\s*([^=#\[][^=#]*?)\s*=/.exec(text);
    const keys = assign ? keyPath(assign[1]) : null;
    if (keys) note([...table, ...keys], i + 1);
  });
  return found;
}
