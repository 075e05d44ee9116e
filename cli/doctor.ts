/**
 * `agtop doctor`: why agtop does or does not show an agent or its session, for one process
 * (`--pid`) or every agent kind, as text or versioned JSON, with `--private` honoured.
 *
 * @module
 */

import type { Settings } from "./settings.ts";
import { collectorSettings } from "./settings.ts";
import { UsageError } from "./args.ts";
import { diagnose } from "../agents/doctor.ts";
import { redactDoctor, renderDoctorJson, renderDoctorText } from "../render/doctor.ts";
import type { ProcessSource } from "../platform/types.ts";

/** Output formats of `doctor --format`. */
export const DOCTOR_FORMATS = ["text", "json"] as const;

/**
 * The pid `--pid` names, or null when not given.
 *
 * @throws {UsageError} when it is not a positive whole number.
 * @example
 * ```ts
 * doctorPid("4242"); // 4242
 * ```
 */
export function doctorPid(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`--pid needs a process id, got '${value}'`);
  }
  return Number(value);
}

/**
 * The doctor's report as `settings` ask for it: text or JSON, private or not.
 *
 * @example
 * ```ts
 * import { processSource } from "../platform/mod.ts";
 * import type { Settings } from "./settings.ts";
 * declare const settings: Settings;
 * await doctorText(settings, processSource(), "json", null);
 * ```
 */
export async function doctorText(
  settings: Settings,
  source: ProcessSource,
  format: (typeof DOCTOR_FORMATS)[number],
  pid: number | null,
): Promise<string> {
  const report = await diagnose(await collectorSettings(settings), source, pid);
  const shown = settings.private ? redactDoctor(report) : report;
  return format === "json" ? renderDoctorJson(shown) : renderDoctorText(shown);
}
