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
  /** The `[serve]` table. */
  serve: ServeConfig;
}

/** What the config file's `[serve]` table says; file paths absolute, `~` expanded. */
export interface ServeConfig {
  hosts: string[];
  tokenFile: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
}

const SERVE_KEYS = ["hosts", "token_file", "tls_cert", "tls_key"];

const KEYS = ["theme", "interval", "hidden", "columns", "private", "data_dirs", "serve"];

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
