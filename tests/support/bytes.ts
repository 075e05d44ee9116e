/**
 * Hand-built binary structs for the platform decoder tests: fields written at offsets the tests spell
 * out from the system headers, so the decoders are checked against them and not against their own
 * constants.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Writes little-endian fields at given offsets into a zeroed buffer. */
export class Struct {
  readonly bytes: Uint8Array;
  readonly #d: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#d = new DataView(this.bytes.buffer);
  }
  i8(at: number, v: number): this {
    this.#d.setInt8(at, v);
    return this;
  }
  u16(at: number, v: number): this {
    this.#d.setUint16(at, v, true);
    return this;
  }
  u32(at: number, v: number): this {
    this.#d.setUint32(at, v, true);
    return this;
  }
  i32(at: number, v: number): this {
    this.#d.setInt32(at, v, true);
    return this;
  }
  u64(at: number, v: number | bigint): this {
    this.#d.setBigUint64(at, BigInt(v), true);
    return this;
  }
  i64(at: number, v: number | bigint): this {
    this.#d.setBigInt64(at, BigInt(v), true);
    return this;
  }
  /** UTF-8 text, or raw bytes. */
  text(at: number, v: string | Uint8Array): this {
    this.bytes.set(typeof v === "string" ? encoder.encode(v) : v, at);
    return this;
  }
  /** UTF-16LE code units (so unpaired surrogates can be written). */
  units(at: number, units: number[]): this {
    units.forEach((u, i) => this.#d.setUint16(at + i * 2, u, true));
    return this;
  }
}
