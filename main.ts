/**
 * agtop — top for AI coding agents. Command-line entry point: parses arguments, builds the
 * collector, hands snapshots to a renderer.
 *
 * @module
 */

import {
  durationOption,
  intervalOption,
  intOption,
  parseCommandLine,
  type ParsedArgs,
  UsageError,
} from "./cli/args.ts";
import { findCommand } from "./cli/commands.ts";
import { commandHelp, programHelp } from "./cli/help.ts";
import { formatLs, type LsOptions } from "./cli/ls.ts";
import { type Config, ConfigError, loadConfig } from "./cli/config.ts";
import { profileEnvs } from "./agents/profiles.ts";
import { VERSION, versionLine } from "./cli/version.ts";
import { Collector } from "./agents/collect/collector.ts";
import { MatchSpecError, parseMatchers } from "./agents/custom.ts";
import { VENDORS } from "./agents/vendors/mod.ts";
import type { Vendor } from "./agents/vendor.ts";
import { ProcessAccessError, processSource } from "./platform/mod.ts";
import type { SortKey } from "./render/view.ts";
import { loadPriceTable, PricesFileError } from "./agents/pricing/overrides.ts";
import { bundledTable, type PriceTable } from "./agents/pricing/table.ts";
import { dropNetwork } from "./cli/network.ts";

/** Custom recogniser specs from `--match` and `AGTOP_MATCH` (`;`-separated). */
function matchSpecs(values: ParsedArgs["values"]): string[] {
  const specs = [...((values.match as string[] | undefined) ?? [])];
  const env = Deno.env.get("AGTOP_MATCH");
  if (env) specs.push(...env.split(";").map((s) => s.trim()).filter(Boolean));
  return specs;
}

/** Built-in vendors plus the custom recognisers from `--match` and `AGTOP_MATCH`. */
function vendorsFrom(values: ParsedArgs["values"]): Vendor[] {
  return [...VENDORS, ...parseMatchers(matchSpecs(values))];
}

/** The collector's options that every collecting command shares. */
async function collectorSetup(values: ParsedArgs["values"], config: Config | null) {
  return {
    vendors: vendorsFrom(values),
    version: VERSION,
    prices: await pricesFrom(values),
    profiles: profileEnvs(config?.dataDirs ?? {}),
  };
}

function lsOptions(values: ParsedArgs["values"], config: Config | null): LsOptions {
  return {
    format: (values.format as LsOptions["format"] | undefined) ?? "table",
    filter: (values.filter as string | undefined) ?? "",
    sort: (values.sort as SortKey | undefined) ?? "cpu",
    reverse: values.reverse === true,
    top: intOption(values, "top", null),
    noColor: values["no-color"] === true,
    theme: (values.theme as string | undefined) ?? config?.theme ?? "default",
    private: values.private === true || config?.private === true,
    hidden: config?.hidden ?? [],
    columns: config?.columns ?? null,
  };
}

/** The price table: bundled, with the overrides of `--prices` or `AGTOP_PRICES` merged over it. */
function pricesFrom(values: ParsedArgs["values"]): Promise<PriceTable> {
  const path = (values.prices as string | undefined) ?? Deno.env.get("AGTOP_PRICES") ?? null;
  return loadPriceTable(path || null);
}

async function ls(values: ParsedArgs["values"]): Promise<void> {
  const config = await loadConfig();
  const opts = lsOptions(values, config);
  const sampleMs = intOption(values, "sample", 250) ?? 250;
  const source = processSource();
  const collector = new Collector({
    ...await collectorSetup(values, config),
    source,
    recentMs: values.all ? durationOption(values, "since", 24 * 3600e3) : null,
  });
  let snap = await collector.tick();
  if (sampleMs > 0) {
    await new Promise((r) => setTimeout(r, sampleMs));
    snap = await collector.tick();
  }
  await writeOut(await formatLs(snap, opts));
  if (values.verbose) {
    const notices = [...source.notices?.() ?? [], ...collector.notices()];
    for (const notice of notices) console.error(`agtop: notice: ${notice}`);
  }
}

function matchers(values: ParsedArgs["values"]): Promise<void> {
  const vendors = vendorsFrom(values);
  const builtIn = new Set(VENDORS);
  const lines = vendors.map((v) =>
    `${builtIn.has(v) ? "built-in" : "custom  "}  ${v.id.padEnd(10)}  ${v.label}${
      "pattern" in v ? `  /${(v as { pattern: RegExp }).pattern.source}/` : ""
    }`
  );
  return writeOut(lines.join("\n") + "\n");
}

async function writeOut(text: string): Promise<void> {
  const data = new TextEncoder().encode(text);
  let off = 0;
  try {
    while (off < data.length) off += await Deno.stdout.write(data.subarray(off));
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
}

async function serve(values: ParsedArgs["values"]): Promise<number> {
  const { runServe, parseListen, DEFAULT_SERVE_INTERVAL } = await import("./cli/serve.ts");
  return runServe({
    listen: parseListen(values.listen as string | undefined),
    interval: intervalOption(values.interval as string | undefined, DEFAULT_SERVE_INTERVAL),
    prepare: async () => {
      const config = await loadConfig();
      return {
        collector: new Collector({ ...await collectorSetup(values, config), source: processSource() }),
        private: values.private === true || config?.private === true,
        hidden: config?.hidden ?? [],
      };
    },
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
    await writeOut(cmd ? commandHelp(cmd) : programHelp(VERSION, bundledTable().snapshot));
    return 0;
  }
  const watchable = Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
  switch (parsed.command ?? (watchable ? "watch" : "ls")) {
    case "watch": {
      const { runWatch, DEFAULT_INTERVAL } = await import("./cli/watch/mod.ts");
      const config = await loadConfig();
      const interval = values.interval as string | undefined;
      return await runWatch({
        interval: interval === undefined && config?.interval
          ? config.interval
          : intervalOption(interval, DEFAULT_INTERVAL),
        filter: (values.filter as string | undefined) ?? "",
        sort: (values.sort as SortKey | undefined) ?? "cpu",
        reverse: values.reverse === true,
        noColor: values["no-color"] === true,
        matchSpecs: matchSpecs(values),
        all: values.all === true,
        prices: await pricesFrom(values),
        theme: (values.theme as string | undefined) ?? config?.theme ?? "default",
        private: values.private === true || config?.private === true,
        hidden: config?.hidden ?? [],
      });
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
      await matchers(values);
      return 0;
    case "ls":
      await ls(values);
      return 0;
    case "serve":
      return await serve(values);
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (e) {
    if (
      e instanceof UsageError || e instanceof MatchSpecError || e instanceof PricesFileError ||
      e instanceof ConfigError
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
