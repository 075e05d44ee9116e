/**
 * Sums of floating-point numbers that do not depend on the order they are added in: a report summed on
 * several threads, each taking whichever sessions come next, gives the same costs to the last digit.
 *
 * @module
 */

/**
 * An exact running sum: the numbers added are kept as non-overlapping partial sums (Shewchuk's
 * algorithm), so {@linkcode ExactSum.value} is the true sum rounded once, whatever the order of the
 * additions or of the merges.
 *
 * @example
 * ```ts
 * const sum = new ExactSum();
 * for (let i = 0; i < 10; i++) sum.add(0.1);
 * sum.value(); // 1 (adding them one by one gives 0.9999999999999999)
 * ```
 */
export class ExactSum {
  /** Non-overlapping partial sums, smallest magnitude first; together exactly the sum. */
  #partials: number[];

  /** A sum of nothing, or of `partials` another sum handed over ({@linkcode ExactSum.partials}). */
  constructor(partials: readonly number[] = []) {
    this.#partials = [];
    for (const p of partials) this.add(p);
  }

  /** The partial sums, to hand this sum to another thread (see the constructor). */
  get partials(): number[] {
    return [...this.#partials];
  }

  /** Adds `x` (a finite number) exactly. */
  add(x: number): void {
    const p = this.#partials;
    let kept = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[kept++] = lo;
      x = hi;
    }
    p.length = kept;
    p.push(x);
  }

  /** Adds everything `other` holds. */
  merge(other: ExactSum): void {
    for (const x of other.#partials) this.add(x);
  }

  /** The sum, correctly rounded. */
  value(): number {
    const p = this.#partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even across the partials left: the next one decides a tie.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}
