/**
 * Custom recognisers from `-m/--match LABEL=REGEX` and the `AGTOP_MATCH` environment variable, for
 * agents agtop does not know.
 *
 * @module
 */

import type { ProcessInfo } from "../platform/types.ts";
import type { Vendor } from "./vendor.ts";

/** A `--match` spec that cannot be used; the message is one line naming the spec and the problem. */
export class MatchSpecError extends Error {
  /** Builds the one-line message `invalid --match "<spec>": <problem>`. */
  constructor(spec: string, problem: string) {
    super(`invalid --match ${JSON.stringify(spec)}: ${problem}`);
    this.name = "MatchSpecError";
  }
}

/** A vendor made from a `--match` spec: any process whose command line matches `pattern` is its agent. */
export interface CustomVendor extends Vendor {
  /** Tested against argv joined with spaces. */
  readonly pattern: RegExp;
}

function parseMatcher(spec: string): CustomVendor {
  const eq = spec.indexOf("=");
  if (eq < 0) throw new MatchSpecError(spec, "expected LABEL=REGEX");
  const label = spec.slice(0, eq).trim();
  const source = spec.slice(eq + 1);
  if (label === "") throw new MatchSpecError(spec, "empty label");
  if (source === "") throw new MatchSpecError(spec, "empty regular expression");
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (e) {
    throw new MatchSpecError(spec, e instanceof Error ? e.message : String(e));
  }
  // agtop's own command line holds the spec, so it would match itself.
  const recognise = (p: ProcessInfo) =>
    p.pid !== Deno.pid && p.argv.length > 0 && pattern.test(p.argv.join(" ")) ? "main" as const : null;
  return {
    id: label,
    label,
    pattern,
    recognise,
    explain: (p) =>
      recognise(p) &&
      { role: "main", rule: "custom match", why: `the command line matches --match ${label}` },
  };
}

/**
 * Parses `LABEL=REGEX` specs (split at the first `=`) into vendors whose id and label are LABEL and
 * that recognise a process as `main` when REGEX matches its argv joined with spaces.
 *
 * @throws {MatchSpecError} on a spec without `=`, with an empty label or regex, or with an invalid regex.
 * @example
 * ```ts
 * import type { ProcessInfo } from "../platform/types.ts";
 * declare const p: ProcessInfo;
 * const [mine] = parseMatchers(["my-agent=python3? .*my_agent\\.py"]);
 * mine.recognise(p, null); // "main" for argv ["python3", "/opt/my_agent.py"]
 * ```
 */
export function parseMatchers(specs: readonly string[]): CustomVendor[] {
  return specs.map(parseMatcher);
}
