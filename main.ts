/**
 * agtop — top for AI coding agents. Command-line entry point: parses arguments and hands the command
 * to its module, loaded when it runs (the live commands' collector and platform code only for them).
 *
 * @module
 */

import { parseCommandLine, UsageError } from "./cli/args.ts";
import { findCommand } from "./cli/commands.ts";
import { loadConfig } from "./cli/config.ts";
import { VERSION, versionLine } from "./cli/version.ts";
import { MatchSpecError } from "./agents/custom.ts";
import { ProcessAccessError } from "./platform/types.ts";
import { TomlFileError } from "./platform/toml_file.ts";
import { dropNetwork } from "./cli/network.ts";
import { writeOut } from "./cli/stdout.ts";

/** The commands that look at processes, loaded only when one runs (see cli/live.ts). */
const live = () => import("./cli/live.ts");

async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args);
  const { values } = parsed;
  if (parsed.command !== "serve") dropNetwork();
  if (parsed.version) {
    await writeOut(versionLine() + "\n");
    return 0;
  }
  if (parsed.command === "help" || values.help) {
    const topic = parsed.command === "help" ? parsed.positionals[0] : parsed.command;
    const cmd = topic ? findCommand(topic) : undefined;
    if (topic && !cmd) throw new UsageError(`unknown command '${topic}'`);
    const { commandHelp, programHelp } = await import("./cli/help.ts");
    const { bundledTable } = await import("./agents/pricing/table.ts");
    await writeOut(cmd ? commandHelp(cmd) : programHelp(VERSION, bundledTable().snapshot));
    return 0;
  }
  const watchable = Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
  switch (parsed.command ?? (watchable ? "watch" : "ls")) {
    case "watch":
      return await (await live()).runLive(parsed);
    case "completions": {
      const { completionScript, SHELLS } = await import("./cli/completions.ts");
      const shell = parsed.positionals[0];
      if (parsed.positionals.length !== 1 || !SHELLS.includes(shell as (typeof SHELLS)[number])) {
        throw new UsageError(`completions needs one of: ${SHELLS.join(", ")}`);
      }
      await writeOut(completionScript(shell as (typeof SHELLS)[number]));
      return 0;
    }
    case "man": {
      const { manPage } = await import("./cli/man.ts");
      await writeOut(manPage(VERSION, new Date().toISOString().slice(0, 10)));
      return 0;
    }
    case "matchers":
      await (await live()).runMatchers(parsed);
      return 0;
    case "doctor":
      await (await live()).runDoctorCommand(parsed);
      return 0;
    case "ls":
      await (await live()).runLs(parsed);
      return 0;
    case "serve":
      // Exit at once: a collection worker stopped while hung would otherwise keep the process alive.
      return Deno.exit(await (await live()).runServeCommand(parsed));
    case "events":
      // Ends on a closed pipe without waiting for the next look.
      return Deno.exit(await (await live()).runFollow(parsed));
    case "wait":
      // Exits at once: the next look is not waited for.
      return Deno.exit(await (await live()).runFollow(parsed));
    case "report": {
      const { runReport } = await import("./cli/report.ts");
      await writeOut(await runReport(parsed, await loadConfig()));
      // Exits at once, without tearing down the heaps the read left (~6 ms of a report).
      return Deno.exit(0);
    }
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (e) {
    if (
      e instanceof UsageError || e instanceof MatchSpecError || e instanceof TomlFileError
    ) {
      console.error(`agtop: ${e.message}\nTry 'agtop --help'.`);
      Deno.exit(2);
    }
    if (e instanceof ProcessAccessError || (e instanceof Error && e.name === "ListenError")) {
      console.error(`agtop: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}
