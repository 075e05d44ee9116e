/**
 * Parses `agtop`'s command line against the definitions in `commands.ts`. Every problem becomes a
 * {@linkcode UsageError} with a one-line message; the caller prints it and exits with status 2.
 *
 * @module
 */

import { type CommandDef, findCommand, GLOBAL_OPTIONS, type OptionDef } from "./commands.ts";

/** A wrong flag, value or command. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The parsed command line. */
export interface ParsedArgs {
  /** Subcommand name; null when none was given. */
  command: string | null;
  /** Option values by long name. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** `--version` given. */
  version: boolean;
}

/**
 * Reads options against their definitions, strictly: `--name`, `--name=value`, `--name value`,
 * `-s value`, `-svalue`, grouped short booleans (`-rv`), `--` ends options. `node:util`'s parseArgs
 * does the same but loads Deno's Node compatibility layer, ~7 ms of agtop's ~35 ms start-up.
 */
function readOptions(args: string[], defs: readonly OptionDef[], allowPositionals: boolean) {
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  const byLong = new Map(defs.map((d) => [d.name, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
  const set = (d: OptionDef, value: string | boolean) => {
    if (d.multiple) values[d.name] = [...((values[d.name] as string[] | undefined) ?? []), value as string];
    else values[d.name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      const rest = args.slice(i + 1);
      if (rest.length && !allowPositionals) throw new UsageError(`unexpected argument '${rest[0]}'`);
      positionals.push(...rest);
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const d = byLong.get(name);
      if (!d) throw new UsageError(`unknown option '--${name}'`);
      if (d.type === "boolean") {
        if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
        set(d, true);
      } else if (eq >= 0) set(d, arg.slice(eq + 1));
      else if (i + 1 < args.length) set(d, args[++i]);
      else throw new UsageError(`option '--${name}' needs a value`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const d = byShort.get(arg[k]);
        if (!d) throw new UsageError(`unknown option '-${arg[k]}'`);
        if (d.type === "boolean") {
          set(d, true);
          continue;
        }
        if (k + 1 < arg.length) set(d, arg.slice(k + 1));
        else if (i + 1 < args.length) set(d, args[++i]);
        else throw new UsageError(`option '--${d.name}' needs a value`);
        break;
      }
    } else if (allowPositionals) positionals.push(arg);
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  return { values, positionals };
}

/**
 * Parses `args` (without the program name).
 *
 * @example
 * ```ts
 * parseCommandLine(["ls", "--format", "json"]).values.format; // "json"
 * ```
 */
export function parseCommandLine(args: string[]): ParsedArgs {
  // `agtop -- ls` (the habit from `npm run x -- args`) means `agtop ls`.
  if (args[0] === "--") args = args.slice(1);
  const first = args[0];
  if (first === "--version" || first === "-V") {
    return { command: null, values: {}, positionals: [], version: true };
  }
  let command: CommandDef | undefined;
  let rest = args;
  if (first !== undefined && !first.startsWith("-")) {
    command = findCommand(first);
    if (!command) throw new UsageError(`unknown command '${first}'`);
    rest = args.slice(1);
  }
  const defs = [...GLOBAL_OPTIONS, ...(command?.options ?? [])];
  const parsed = readOptions(rest, defs, command?.args !== undefined);
  const { values } = parsed;
  for (const d of defs) {
    const v = values[d.name];
    if (d.choices && typeof v === "string" && !d.choices.includes(v)) {
      throw new UsageError(`invalid value '${v}' for --${d.name} (expected ${d.choices.join(", ")})`);
    }
  }
  return { command: command?.name ?? null, values, positionals: parsed.positionals, version: false };
}

/**
 * A duration option like `90s`, `30m`, `2h`, `7d` in milliseconds, or its default; a bad value is a
 * {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * durationOption({ since: "2h" }, "since", 0); // 7_200_000
 * ```
 */
export function durationOption(values: ParsedArgs["values"], name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const m = typeof v === "string" ? v.match(/^(\d+(?:\.\d+)?)([smhd])$/) : null;
  if (!m) throw new UsageError(`invalid value '${v}' for --${name} (expected a duration like 30m, 2h, 7d)`);
  return Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as "s" | "m" | "h" | "d"];
}

/**
 * A string option's value, or undefined when it was not given.
 *
 * @example
 * ```ts
 * stringOption({ filter: "shop" }, "filter"); // "shop"
 * ```
 */
export function stringOption(values: ParsedArgs["values"], name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/**
 * A repeatable option's values, in order; empty when it was not given.
 *
 * @example
 * ```ts
 * listOption({ match: ["A=a", "B=b"] }, "match"); // ["A=a", "B=b"]
 * ```
 */
export function listOption(values: ParsedArgs["values"], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : [];
}

/**
 * The value of an option with `choices` (the parser has checked it), or `fallback` when absent.
 *
 * @example
 * ```ts
 * import { SORT_KEYS } from "./commands.ts";
 *
 * choiceOption({ sort: "mem" }, "sort", SORT_KEYS, "cpu"); // "mem"
 * ```
 */
export function choiceOption<T extends string>(
  values: ParsedArgs["values"],
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const v = values[name];
  return choices.find((c) => c === v) ?? fallback;
}

/**
 * A non-negative integer option, or its default; a bad value is a {@linkcode UsageError}.
 */
export function intOption(
  values: ParsedArgs["values"],
  name: string,
  fallback: number | null,
): number | null {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !/^\d+$/.test(v)) {
    throw new UsageError(`invalid value '${v}' for --${name} (expected a whole number ≥ 0)`);
  }
  return Number(v);
}

/** Shortest allowed interval between collections, in seconds. */
export const MIN_INTERVAL = 0.2;

/**
 * The `--interval` value in seconds, or `fallback` when absent.
 *
 * @throws {UsageError} when it is not a number of at least {@linkcode MIN_INTERVAL}.
 * @example
 * ```ts
 * intervalOption("0.5", 1.5); // 0.5
 * ```
 */
export function intervalOption(value: string | undefined, fallback: number, name = "interval"): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < MIN_INTERVAL) {
    throw new UsageError(`invalid value '${value}' for --${name} (expected seconds ≥ ${MIN_INTERVAL})`);
  }
  return n;
}
