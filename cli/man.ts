/**
 * `agtop man`: the manual page (roff), generated from the same command definitions as `--help`.
 *
 * @module
 */

import { COMMANDS, GLOBAL_OPTIONS, type OptionDef } from "./commands.ts";
import { namedAgents } from "./help.ts";

/** Escapes text for roff: backslashes, leading dots/quotes, hyphens in options. */
function roff(s: string): string {
  return s.replace(/\\/g, "\\e").replace(/^([.'])/gm, "\\&$1");
}

function option(o: OptionDef): string {
  const flag = `${o.short ? `\\fB\\-${o.short}\\fR, ` : ""}\\fB\\-\\-${o.name}\\fR${
    o.value ? ` \\fI${o.value}\\fR` : ""
  }`;
  const extra = [
    o.choices ? `One of: ${o.choices.join(", ")}.` : "",
    o.default ? `Default: ${o.default}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return `.TP\n${flag}\n${roff(o.description)}${extra ? `. ${extra}` : ""}`;
}

/**
 * The man page for `version`, dated `date` (YYYY-MM-DD).
 *
 * @example
 * ```ts
 * manPage("0.1.0", "2026-11-24").startsWith(".TH AGTOP 1"); // true
 * ```
 */
export function manPage(version: string, date: string): string {
  return [
    `.TH AGTOP 1 "${date}" "agtop ${version}" "User Commands"`,
    ".SH NAME",
    "agtop \\- top for AI coding agents",
    ".SH SYNOPSIS",
    ".B agtop",
    "[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]",
    ".SH DESCRIPTION",
    `agtop finds the coding agents running on this machine (${namedAgents().join(", ")} and more),`,
    "joins each process with the session transcript it writes, and shows its status, current tool, tokens,",
    "cost, context fill, CPU, memory and the files it writes.",
    "Without a command it starts the live view on a terminal and prints \\fBls\\fR otherwise.",
    ".SH COMMANDS",
    ...COMMANDS.flatMap((c) => [
      `.SS ${c.name}${c.args ? ` ${c.args}` : ""}`,
      roff(c.summary[0].toUpperCase() + c.summary.slice(1)) + ".",
      ...c.options.map(option),
      ...(c.exits ?? []).map(([code, what]) => `.TP\nExit status ${code}\n${roff(what)}.`),
    ]),
    ".SH GLOBAL OPTIONS",
    ...GLOBAL_OPTIONS.map(option),
    ".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nPrint the version and the commit and exit.",
    ".SH ENVIRONMENT",
    ".TP\n.B AGTOP_MATCH\nCustom recognisers, LABEL=REGEX separated by semicolons.",
    ".TP\n.B NO_COLOR\nNo colours when set to a non-empty value.",
    ".SH EXIT STATUS",
    "0 on success; 2 on a usage error (unknown option, bad value, invalid pattern or prices file).",
    ".SH SEE ALSO",
    "top(1), htop(1)",
    "",
  ].join("\n");
}
