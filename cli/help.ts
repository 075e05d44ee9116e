/**
 * `agtop --help` and `agtop <command> --help`, generated from the command definitions.
 *
 * @module
 */

import type { Vendor } from "../agents/vendor.ts";
import { VENDORS } from "../agents/vendors/mod.ts";
import { type CommandDef, COMMANDS, GLOBAL_OPTIONS, type OptionDef } from "./commands.ts";

/** Width the help's prose is wrapped to. */
const WIDTH = 104;

/**
 * The agents named in the help and the man page: the labels of the vendors whose sessions agtop reads,
 * in vendor order (the others are the "…").
 *
 * @example
 * ```ts
 * namedAgents().slice(0, 2); // ["Claude Code", "Codex"]
 * ```
 */
export function namedAgents(vendors: readonly Vendor[] = VENDORS): string[] {
  return vendors.filter((v) => v.sessions).map((v) => v.label);
}

/** `words` joined by spaces into lines of at most `width` characters (a longer word gets its own line). */
function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function optionLine(o: OptionDef): [string, string] {
  const flag = `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`;
  const extra = [o.choices ? `one of ${o.choices.join("|")}` : "", o.default ? `default ${o.default}` : ""]
    .filter(Boolean)
    .join("; ");
  return [flag, extra ? `${o.description} (${extra})` : o.description];
}

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join("\n");
}

/** Help for the whole program. `pricesDate` is the bundled price table's date. */
export function programHelp(version: string, pricesDate: string | null): string {
  return [
    `agtop ${version} — top for AI coding agents`,
    "",
    "Usage: agtop [COMMAND] [OPTIONS]",
    "",
    // Labels are kept whole on a line.
    ...wrap(
      [
        ..."Finds the coding agents running on this machine".split(" "),
        ...namedAgents().map((label, i) => `${i === 0 ? "(" : ""}${label},`),
        ..."…) and shows what each is doing and using.".split(" "),
      ],
      WIDTH,
    ),
    "Without a command: the live view on a terminal, otherwise `ls`.",
    "",
    "Commands:",
    table(COMMANDS.map((c) => [c.name + (c.args ? ` ${c.args}` : ""), c.summary])),
    "",
    "Options for every command:",
    table(GLOBAL_OPTIONS.map(optionLine)),
    "  -V, --version  print version and exit",
    "",
    "Run 'agtop COMMAND --help' for the options of a command.",
    ...(pricesDate
      ? ["", `Prices: bundled table of ${pricesDate} (override with --prices FILE or AGTOP_PRICES).`]
      : []),
    "",
  ].join("\n");
}

/** Help for one command. */
export function commandHelp(cmd: CommandDef): string {
  return [
    `Usage: agtop ${cmd.name}${cmd.args ? ` ${cmd.args}` : ""} [OPTIONS]`,
    "",
    cmd.summary[0].toUpperCase() + cmd.summary.slice(1) + ".",
    "",
    "Options:",
    table([...cmd.options, ...GLOBAL_OPTIONS].map(optionLine)),
    ...(cmd.exits ? ["", "Exit status:", table(cmd.exits.map(([code, what]) => [String(code), what]))] : []),
    "",
  ].join("\n");
}
