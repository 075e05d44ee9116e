/**
 * Exact sums: the correctly rounded sum, whatever the order of additions and merges (checked against
 * sums of the same numbers in integers).
 */
import assert from "node:assert/strict";
import { ExactSum } from "../../../agents/pricing/exact_sum.ts";

/** `xs` summed exactly in integers (each a multiple of 2^-300 here), rounded once to a number. */
function trueSum(xs: readonly number[]): number {
  const scale = 2 ** 300;
  const total = xs.reduce((n, x) => n + BigInt(x * scale), 0n);
  return Number(total) / scale;
}

/** A sum of `xs`, added in order. */
function exact(xs: readonly number[]): ExactSum {
  const sum = new ExactSum();
  for (const x of xs) sum.add(x);
  return sum;
}

/** A deterministic pseudo-random stream (the same numbers every run). */
function* random(seed: number): Generator<number> {
  let s = seed;
  while (true) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield s / 2 ** 31;
  }
}

Deno.test("exact sum: what adding one by one loses is kept", () => {
  assert.equal(exact(Array(10).fill(0.1)).value(), 1);
  assert.equal(exact([1e100, 1, -1e100]).value(), 1);
  assert.equal(exact([]).value(), 0);
  assert.equal(exact([0.1, 0.2]).value(), 0.30000000000000004, "two numbers: their sum rounded once");
});

Deno.test("exact sum: the same value in any order, split and merged anywhere, as the true sum", () => {
  const r = random(42);
  for (let round = 0; round < 50; round++) {
    const xs = Array.from({ length: 60 }, () => {
      const magnitude = 10 ** Math.floor(r.next().value * 16 - 10);
      return (r.next().value - 0.3) * magnitude;
    });
    const want = trueSum(xs);
    assert.equal(exact(xs).value(), want);
    assert.equal(exact([...xs].reverse()).value(), want);
    const sorted = [...xs].sort((a, b) => a - b);
    assert.equal(exact(sorted).value(), want);
    const cut = Math.floor(r.next().value * xs.length);
    const first = exact(xs.slice(0, cut));
    const second = exact(xs.slice(cut));
    // As another thread hands its sum over: by its partials.
    first.merge(new ExactSum(structuredClone(second.partials)));
    assert.equal(first.value(), want);
  }
});
