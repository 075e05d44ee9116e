/**
 * TOML files the user writes (the config file, price overrides): reading and parsing them, finding the
 * line that sets a key, and the one error type whose message names the file and that line.
 *
 * @module
 */

import { firstLine } from "./notices.ts";

/** A TOML file that cannot be used; the message is one line: `path:line: what is wrong`. */
export class TomlFileError extends Error {
  /** The file as given. */
  readonly path: string;
  /** 1-based line of the problem, when known. */
  readonly line: number | null;

  /** Builds the message `path:line: detail` (`path: detail` without a line). */
  constructor(path: string, line: number | null, detail: string) {
    super(`${path}${line === null ? "" : `:${line}`}: ${detail}`);
    this.name = "TomlFileError";
    this.path = path;
    this.line = line;
  }
}

/**
 * The error for a file that cannot be read.
 *
 * @example
 * ```ts
 * unreadable("prices.toml", new Deno.errors.NotFound("No such file")).message; // "prices.toml: cannot read: No such file"
 * ```
 */
export function unreadable(path: string, error: unknown): TomlFileError {
  return new TomlFileError(path, null, `cannot read: ${firstLine(error).trim()}`);
}

/**
 * The document in `source` (TOML is loaded only now).
 *
 * @throws {TomlFileError} on a syntax error, at its line.
 * @example
 * ```ts
 * await parseToml("config.toml", 'theme = "nord"\n'); // { theme: "nord" }
 * ```
 */
export async function parseToml(path: string, source: string): Promise<Record<string, unknown>> {
  const { parse, TomlError } = await import("smol-toml");
  try {
    return parse(source);
  } catch (e) {
    if (e instanceof TomlError) {
      throw new TomlFileError(path, e.line, firstLine(e).trim().replace(/^Invalid TOML document: /, ""));
    }
    throw e;
  }
}

/**
 * Splits a TOML key path (`data_dirs.claude`, `models."gpt-5.1".input`) into its keys; null when it is
 * not one.
 *
 * @example
 * ```ts
 * keyPath('models."gpt-5.1".input'); // ["models", "gpt-5.1", "input"]
 * ```
 */
export function keyPath(text: string): string[] | null {
  const keys: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    keys.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2] ?? m[3]);
    if (m[4] === "") return keys;
  }
  return null;
}

/**
 * Where a TOML source sets its keys: the first line (1-based) naming each key path, from table headers
 * (`[models."x"]`, `[[x]]`) and every prefix of their keys and of each `key = value` below them. Best
 * effort, for error messages only.
 *
 * @example
 * ```ts
 * new TomlLines('theme = "nord"\n[data_dirs]\nclaude = ["/a"]\n').line(["data_dirs", "claude", "x"]); // 3
 * ```
 */
export class TomlLines {
  /** The source's lines. */
  readonly lines: string[];
  #found = new Map<string, number>();

  constructor(source: string) {
    this.lines = source.split(/\r?\n/);
    let table: string[] = [];
    const note = (path: string[], line: number) => {
      for (let i = 1; i <= path.length; i++) {
        const key = path.slice(0, i).join("\0");
        if (!this.#found.has(key)) this.#found.set(key, line);
      }
    };
    this.lines.forEach((text, i) => {
      const header = /^\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$/.exec(text);
      if (header) {
        table = keyPath(header[1]) ?? [];
        note(table, i + 1);
        return;
      }
      const assign = /^\s*([^=#\[][^=#]*?)\s*=/.exec(text);
      const keys = assign ? keyPath(assign[1]) : null;
      if (keys) note([...table, ...keys], i + 1);
    });
  }

  /** The line of the longest prefix of `keys` that the source names; null when none. */
  line(keys: readonly string[]): number | null {
    for (let n = keys.length; n > 0; n--) {
      const line = this.#found.get(keys.slice(0, n).join("\0"));
      if (line !== undefined) return line;
    }
    return null;
  }
}
