/**
 * Notices: one-line explanations of what a run could not read, kept for `--verbose` and never thrown.
 *
 * @module
 */

/** At most this many notices are kept, so a failure repeated every tick cannot grow memory. */
const MAX_NOTICES = 64;

/**
 * One-line explanations of why a native source delivers fewer fields (a library or symbol missing,
 * a call failing unexpectedly), de-duplicated and capped.
 *
 * @example
 * ```ts
 * const notices = new Notices();
 * notices.add("cannot open libproc");
 * notices.add("cannot open libproc");
 * notices.list(); // ["cannot open libproc"]
 * ```
 */
export class Notices {
  readonly #lines: string[] = [];

  /** Records `line` unless it is already recorded or the log is full. */
  add(line: string): void {
    if (this.#lines.length < MAX_NOTICES && !this.#lines.includes(line)) this.#lines.push(line);
  }

  /** Records an unexpected error of `what` as one line. */
  failure(what: string, error: unknown): void {
    this.add(`${what} failed: ${firstLine(error)}`);
  }

  /** A copy of the recorded lines, oldest first. */
  list(): string[] {
    return [...this.#lines];
  }
}

/**
 * The first line of an error's message (or of its text, when it is not an `Error`).
 *
 * @example
 * ```ts
 * firstLine(new Error("cannot open\nmore")); // "cannot open"
 * ```
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n", 1)[0];
}
