/**
 * agtop — top for AI coding agents. Command-line entry point: parses arguments, resolves the
 * settings, builds the collector, hands snapshots to a renderer.
 *
 * @module
 */

import { choiceOption, parseCommandLine, type ParsedArgs, stringOption, UsageError } from "./cli/args.ts";
import { findCommand } from "./cli/commands.ts";
import { formatLs } from "./cli/ls.ts";
import { loadConfig } from "./cli/config.ts";
import { collectorSettings, resolveSettings } from "./cli/settings.ts";
import { VERSION, versionLine } from "./cli/version.ts";
import { createCollector, vendorsFor } from "./agents/collect/collector.ts";
import { MatchSpecError } from "./agents/custom.ts";
import { VENDORS } from "./agents/vendors/mod.ts";
import { ProcessAccessError, processSource } from "./platform/mod.ts";
import { TomlFileError } from "./platform/toml_file.ts";
import { bundledTable } from "./agents/pricing/table.ts";
import { dropNetwork } from "./cli/network.ts";

async function ls(parsed: ParsedArgs): Promise<void> {
  const settings = resolveSettings(parsed, await loadConfig());
  const source = processSource();
  const collector = createCollector(await collectorSettings(settings), source);
  let snap = await collector.tick();
  if (settings.sampleMs > 0) {
    await new Promise((r) => setTimeout(r, settings.sampleMs));
    snap = await collector.tick();
  }
  await writeOut(await formatLs(snap, settings));
  if (settings.verbose) {
    const notices = [...source.notices?.() ?? [], ...collector.notices()];
    for (const notice of notices) console.error(`agtop: notice: ${notice}`);
  }
}

async function matchers(parsed: ParsedArgs): Promise<void> {
  const vendors = vendorsFor(resolveSettings(parsed, null).matchSpecs);
  const builtIn = new Set(VENDORS);
  const lines = vendors.map((v) =>
    `${builtIn.has(v) ? "built-in" : "custom  "}  ${v.id.padEnd(10)}  ${v.label}${
      "pattern" in v ? `  /${(v as { pattern: RegExp }).pattern.source}/` : ""
    }`
  );
  await writeOut(lines.join("\n") + "\n");
}

/** Writes all of `text` to stdout; false when the reader has gone (a closed pipe). */
async function writeOut(text: string): Promise<boolean> {
  const data = new TextEncoder().encode(text);
  let off = 0;
  try {
    while (off < data.length) off += await Deno.stdout.write(data.subarray(off));
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
    return false;
  }
  return true;
}

/** `events` and `wait`: a collector that keeps looking, as `ls` builds it. */
async function follower(parsed: ParsedArgs) {
  const settings = resolveSettings(parsed, await loadConfig());
  return { settings, collector: createCollector(await collectorSettings(settings), processSource()) };
}

async function serve(parsed: ParsedArgs): Promise<number> {
  const { runServe, parseListen } = await import("./cli/serve.ts");
  // The config file (host names, token and TLS files) before binding; agents' data only once the
  // listener is bound and the network dropped.
  const config = await loadConfig();
  const settings = resolveSettings(parsed, config);
  const { tokenFile, tlsCert, tlsKey } = config?.serve ?? { tokenFile: null, tlsCert: null, tlsKey: null };
  return runServe({
    listen: parseListen(settings.listen),
    interval: settings.interval,
    timeout: settings.timeout,
    hosts: settings.hosts,
    tokenFile,
    tls: tlsCert && tlsKey ? { certFile: tlsCert, keyFile: tlsKey } : null,
    prepare: async () => ({
      collect: await collectorSettings(settings),
      private: settings.private,
      hidden: settings.hidden,
      alerts: settings.alerts,
    }),
  });
}

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
    await writeOut(cmd ? commandHelp(cmd) : programHelp(VERSION, bundledTable().snapshot));
    return 0;
  }
  const watchable = Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
  switch (parsed.command ?? (watchable ? "watch" : "ls")) {
    case "watch": {
      const { runWatch } = await import("./cli/watch/mod.ts");
      const settings = resolveSettings(parsed, await loadConfig());
      return await runWatch({ ...settings, collect: await collectorSettings(settings) });
    }
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
      await matchers(parsed);
      return 0;
    case "doctor": {
      const { doctorText, doctorPid, DOCTOR_FORMATS } = await import("./cli/doctor.ts");
      const settings = resolveSettings(parsed, await loadConfig());
      const format = choiceOption(values, "format", DOCTOR_FORMATS, "text");
      await writeOut(
        await doctorText(settings, processSource(), format, doctorPid(stringOption(values, "pid"))),
      );
      return 0;
    }
    case "ls":
      await ls(parsed);
      return 0;
    case "serve":
      // Exit at once: a collection worker stopped while hung would otherwise keep the process alive.
      return Deno.exit(await serve(parsed));
    case "events": {
      const { runEvents } = await import("./cli/events.ts");
      const { settings, collector } = await follower(parsed);
      // Ends on a closed pipe without waiting for the next look.
      return Deno.exit(await runEvents(collector, settings, writeOut));
    }
    case "wait": {
      const { runWait } = await import("./cli/wait.ts");
      const { settings, collector } = await follower(parsed);
      // Exits at once: the next look is not waited for.
      return Deno.exit(await runWait(collector, settings));
    }
    case "report": {
      const { runReport } = await import("./cli/report.ts");
      await writeOut(await runReport(parsed, await loadConfig()));
      return 0;
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
