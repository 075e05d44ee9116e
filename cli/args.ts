/**
 * Parses `agtop`'s command line against the definitions in `commands.ts`. Every problem becomes a
 * {@linkcode UsageError} with a one-line message; the caller prints it and exits with status 2.
 *
 * @module
 */

import { parseArgs } from "node:util";
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

function toParseArgs(defs: readonly OptionDef[]) {
  const out: Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }> = {};
  for (const d of defs) {
    out[d.name] = {
      type: d.type,
      ...(d.short ? { short: d.short } : {}),
      ...(d.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

/** Rewrites node's parse errors into one short line. */
function explain(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const unknown = msg.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missing = msg.match(/Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/);
  if (missing) return `option '${missing[1]}' needs a value`;
  const positional = msg.match(/Unexpected argument '([^']+)'/);
  if (positional) return `unexpected argument '${positional[1]}'`;
  return msg.split("\n")[0];
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
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: toParseArgs(defs),
      strict: true,
      allowPositionals: command?.args !== undefined,
    });
  } catch (e) {
    throw new UsageError(explain(e));
  }
  const values = parsed.values as ParsedArgs["values"];
  for (const d of defs) {
    const v = values[d.name];
    if (d.choices && typeof v === "string" && !d.choices.includes(v)) {
      throw new UsageError(`invalid value '${v}' for --${d.name} (expected ${d.choices.join(", ")})`);
    }
  }
  return { command: command?.name ?? null, values, positionals: parsed.positionals, version: false };
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
