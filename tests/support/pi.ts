/**
 * pi and oh-my-pi session fixtures in tests: the files the real agents wrote, moved to another working
 * directory, and parsed whole.
 *
 * @module
 */

import { PiTranscript } from "../../agents/formats/pi_session.ts";

/** The working directories the real agents ran in when they wrote `tests/fixtures/{pi,omp}/`. */
export const FIXTURE_CWDS: Readonly<Record<"pi" | "omp", string>> = {
  pi: "/tmp/p1s/repo-pi",
  omp: "/tmp/p1s/repo-omp",
};

/**
 * The fixture `name` of `agent`, its working directory replaced by `cwd` (default: kept).
 *
 * @example
 * ```ts
 * piFixture("pi", "inflight.jsonl", "/home/me/app");
 * ```
 */
export function piFixture(agent: "pi" | "omp", name: string, cwd = FIXTURE_CWDS[agent]): string {
  const text = Deno.readTextFileSync(new URL(`../fixtures/${agent}/${name}`, import.meta.url));
  return text.replaceAll(FIXTURE_CWDS[agent], cwd);
}

/**
 * A parser fed every line of `text`.
 *
 * @example
 * ```ts
 * parsePi(piFixture("pi", "done.jsonl")).facts().turn; // "ended"
 * ```
 */
export function parsePi(text: string): PiTranscript {
  const t = new PiTranscript();
  for (const line of text.split("\n")) t.feed(line);
  return t;
}
