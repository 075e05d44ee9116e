/**
 * The hashes agents name directories by: SHA-256 (Gemini CLI's projects) and MD5 (Cursor's
 * workspaces), of a string's UTF-8 bytes, in hex.
 *
 * Computed here rather than with `node:crypto`: the first use of a `node:` module sets up Deno's Node
 * layer, which costs about 50 ms (measured: ~35 ms for `process`, ~15 ms more for `node:crypto`) in
 * every run of agtop that sees a Gemini CLI or Cursor Agent process.
 *
 * @module
 */

/** SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K256 = primes(64).map((p) => frac32(Math.cbrt(p)));
/** SHA-256 initial hash: the same of the square roots of the first 8 primes. */
const H256 = primes(8).map((p) => frac32(Math.sqrt(p)));
/** MD5 constants: the first 32 bits of |sin(i + 1)|. */
const K_MD5 = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
/** MD5 per-round left rotations. */
const S_MD5 = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/**
 * SHA-256 of a string's UTF-8 bytes, in hex.
 *
 * @example
 * ```ts
 * sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function sha256Hex(text: string): string {
  const { view, length } = padded(text, false);
  const h = Uint32Array.from(H256);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      [k, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, k].forEach((x, i) => h[i] += x);
  }
  return [...h].map((x) => x.toString(16).padStart(8, "0")).join("");
}

/**
 * MD5 of a string's UTF-8 bytes, in hex.
 *
 * @example
 * ```ts
 * md5Hex("abc"); // "900150983cd24fb0d6963f7d28e17f72"
 * ```
 */
export function md5Hex(text: string): string {
  const { view, length } = padded(text, true);
  const h = Uint32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
  for (let off = 0; off < length; off += 64) {
    let [a, b, c, d] = h;
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      const f = round === 0
        ? (b & c) | (~b & d)
        : round === 1
        ? (d & b) | (~d & c)
        : round === 2
        ? b ^ c ^ d
        : c ^ (b | ~d);
      const g = round === 0
        ? i
        : round === 1
        ? (5 * i + 1) % 16
        : round === 2
        ? (3 * i + 5) % 16
        : (7 * i) % 16;
      const sum = (a + f + K_MD5[i] + view.getUint32(off + g * 4, true)) >>> 0;
      [a, d, c] = [d, c, b];
      b = (b + rotl(sum, S_MD5[(round << 2) | (i & 3)])) >>> 0;
    }
    [a, b, c, d].forEach((x, i) => h[i] += x);
  }
  return [...h].map((x) => {
    const le = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
    return (le >>> 0).toString(16).padStart(8, "0");
  }).join("");
}

/** The UTF-8 bytes of `text` padded to whole 64-byte blocks, the bit length at the end (little-endian for MD5). */
function padded(text: string, littleEndian: boolean): { view: DataView; length: number } {
  const data = new TextEncoder().encode(text);
  const buf = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  const low = (data.length * 8) >>> 0;
  const high = Math.floor(data.length / 0x20000000);
  if (littleEndian) {
    view.setUint32(buf.length - 8, low, true);
    view.setUint32(buf.length - 4, high, true);
  } else {
    view.setUint32(buf.length - 8, high);
    view.setUint32(buf.length - 4, low);
  }
  return { view, length: buf.length };
}

function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

function frac32(x: number): number {
  return Math.floor((x - Math.floor(x)) * 2 ** 32) >>> 0;
}
