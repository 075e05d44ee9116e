/**
 * The commands that look at the processes on the machine: `ls`, `watch`, `events`, `wait`, `serve`,
 * `doctor` and `matchers`. They share the collector and the platform layer, which the other commands
 * (`report`, `help`, `man`, `completions`, `--version`) never load: `main.ts` imports this module only
 * when one of these runs.
 *
 * @module
 */

import { choiceOption, type ParsedArgs, stringOption } from "./args.ts";
import { formatLs } from "./ls.ts";
import { loadConfig } from "./config.ts";
import { collectorSettings, resolveSettings } from "./settings.ts";
import { createCollector, vendorsFor } from "../agents/collect/collector.ts";
import { VENDORS } from "../agents/vendors/mod.ts";
import { processSource } from "../platform/mod.ts";
import { writeOut } from "./stdout.ts";

/**
 * `agtop ls`: one snapshot (two looks, `--sample` apart, for CPU and IO rates), printed in its format.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * await runLs(parseCommandLine(["ls", "--format", "json"]));
 * ```
 */
export async function runLs(parsed: ParsedArgs): Promise<void> {
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

/**
 * `agtop matchers`: the agents agtop recognises, built-in and from `--match` specs.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * await runMatchers(parseCommandLine(["matchers"]));
 * ```
 */
export async function runMatchers(parsed: ParsedArgs): Promise<void> {
  const vendors = vendorsFor(resolveSettings(parsed, null).matchSpecs);
  const builtIn = new Set(VENDORS);
  const lines = vendors.map((v) =>
    `${builtIn.has(v) ? "built-in" : "custom  "}  ${v.id.padEnd(10)}  ${v.label}${
      "pattern" in v ? `  /${(v as { pattern: RegExp }).pattern.source}/` : ""
    }`
  );
  await writeOut(lines.join("\n") + "\n");
}

/**
 * `agtop watch`: the live view, until quit; its exit code.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const code = await runLive(parseCommandLine(["watch"]));
 * ```
 */
export async function runLive(parsed: ParsedArgs): Promise<number> {
  const { runWatch } = await import("./watch/mod.ts");
  const settings = resolveSettings(parsed, await loadConfig());
  return await runWatch({ ...settings, collect: await collectorSettings(settings) });
}

/**
 * `agtop events` and `agtop wait`: run until done, their exit code (they end the process themselves).
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const code = await runFollow(parseCommandLine(["wait", "--until", "idle", "--timeout", "1s"]));
 * ```
 */
export async function runFollow(parsed: ParsedArgs): Promise<number> {
  const settings = resolveSettings(parsed, await loadConfig());
  const collector = createCollector(await collectorSettings(settings), processSource());
  if (parsed.command === "events") {
    const { runEvents } = await import("./events.ts");
    return await runEvents(collector, settings, writeOut);
  }
  const { runWait } = await import("./wait.ts");
  return await runWait(collector, settings);
}

/**
 * `agtop serve`: the metrics and snapshot server, until stopped; its exit code.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * const code = await runServeCommand(parseCommandLine(["serve", "--listen", "127.0.0.1:0"]));
 * ```
 */
export async function runServeCommand(parsed: ParsedArgs): Promise<number> {
  const { runServe, parseListen } = await import("./serve.ts");
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

/**
 * `agtop doctor`: why each agent shows as it does, in text or JSON.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * await runDoctorCommand(parseCommandLine(["doctor", "--format", "json"]));
 * ```
 */
export async function runDoctorCommand(parsed: ParsedArgs): Promise<void> {
  const { doctorText, doctorPid, DOCTOR_FORMATS } = await import("./doctor.ts");
  const settings = resolveSettings(parsed, await loadConfig());
  const format = choiceOption(parsed.values, "format", DOCTOR_FORMATS, "text");
  await writeOut(
    await doctorText(settings, processSource(), format, doctorPid(stringOption(parsed.values, "pid"))),
  );
}
