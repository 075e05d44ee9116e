/**
 * Writing a command's output: all of it, and quietly stopping when the reader has gone.
 *
 * @module
 */

/**
 * Writes all of `text` to stdout; false when the reader has gone (a closed pipe).
 *
 * @example
 * ```ts
 * await writeOut("agtop 0.1.0\n"); // true
 * ```
 */
export async function writeOut(text: string): Promise<boolean> {
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
