/**
 * `agtop --help` and `agtop <command> --help`, generated from the command definitions.
 *
 * @module
 */

import { type CommandDef, COMMANDS, GLOBAL_OPTIONS, type OptionDef } from "./commands.ts";

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
    "Finds the coding agents running on this machine (Claude Code, Codex, Gemini CLI, Qwen Code, OpenCode,",
    "Copilot CLI, Aider, Goose, Cursor, Crush, Amp, …) and shows what each is doing and using.",
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
    "",
  ].join("\n");
}
