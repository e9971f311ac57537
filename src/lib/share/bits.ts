// The share format's numbers, bit by bit: a writer and a reader of base-128 (LEB128) and base-32
// varints, zigzag values and the packed body's bit code (Elias gamma of the bit length, then the
// bits). The layout they serve is in docs/share-format.md ("Numbers"). Pure, no allocation beyond
// the output; the reader checks every length against what is left and throws `broken(…)` errors.

/** Largest value a varint may carry: 2^64 − 1. */
export const U64 = (1n << 64n) - 1n;

/** The error for any damage found while reading a link: it names what is wrong. */
export function broken(what: string): Error {
  return new Error(`This share link is damaged: ${what}. It may have been cut short or altered.`);
}

/** Zigzag of a signed value: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
export function zigzagOf(v: bigint): bigint {
  return v < 0n ? -2n * v - 1n : 2n * v;
}

export function unzigzag(u: bigint): bigint {
  return u & 1n ? -((u + 1n) >> 1n) : u >> 1n;
}

/** As a signed 64-bit value. */
export function signed64(v: bigint): bigint {
  return v >= 1n << 63n ? v - (1n << 64n) : v;
}


/**
 * How varints are written: base-128 digits (LEB128), base-32 digits (FLAG_NARROW), or the bit
 * code of the packed body (docs/share-format.md, "Numbers").
 */
export type Varints = 'base128' | 'base32' | 'bits';

export class Writer {
  private buf = new Uint8Array(256);
  /** Bytes written, or in the bit form bits written (one array entry per bit). */
  length = 0;
  constructor(private readonly varints: Varints = 'base128') {}

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** `width` bits of v, most significant first (the bit form only). */
  private bits(v: bigint, width: number): void {
    this.room(width);
    for (let k = width - 1; k >= 0; k--) this.buf[this.length++] = Number((v >> BigInt(k)) & 1n);
  }

  /** A field of at most `width` bits: a byte in the byte forms, `width` bits in the bit form. */
  field(v: number, width: number): void {
    if (this.varints === 'bits') this.bits(BigInt(v), width);
    else this.byte(v);
  }

  byte(b: number): void {
    if (this.varints === 'bits') return this.bits(BigInt(b), 8);
    this.room(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned integer below 2^53. */
  uint(v: number): void {
    if (!(v >= 0 && Number.isSafeInteger(v))) throw new Error(`share: cannot encode ${v}`);
    if (this.varints === 'bits') return this.code(BigInt(v));
    const base = this.varints === 'base32' ? 32 : 128;
    this.room(14);
    while (v >= base) {
      this.buf[this.length++] = (v % base) + base;
      v = Math.floor(v / base);
    }
    this.buf[this.length++] = v;
  }

  /** Unsigned integer below 2^64, given as a number when it is at most 2^53 − 1 (exact) and a bigint otherwise. */
  wide(v: number | bigint): void {
    if (typeof v === 'bigint') this.big(v);
    else this.uint(v);
  }

  /** a + b exactly, for a and b safe integers whose sum is not negative (it may reach 2^54). */
  sum(a: number, b: number): void {
    const v = a + b;
    if (Number.isSafeInteger(v)) this.uint(v);
    else this.big(BigInt(a) + BigInt(b));
  }

  big(v: bigint): void {
    if (v < 0n || v > U64) throw new Error(`share: cannot encode ${v}`);
    if (this.varints === 'bits') return this.code(v);
    const base = this.varints === 'base32' ? 32n : 128n;
    this.room(14);
    while (v >= base) {
      this.buf[this.length++] = Number(v % base + base);
      v /= base;
    }
    this.buf[this.length++] = Number(v);
  }

  /** The bit code of v < 2^64: its bit length b as Elias gamma of b + 1, then v's bits below the leading 1. */
  private code(v: bigint): void {
    const b = v === 0n ? 0 : v.toString(2).length;
    const g = (b + 1).toString(2).length;
    this.bits(0n, g - 1);
    this.bits(BigInt(b + 1), g);
    if (b > 1) this.bits(v, b - 1);
  }

  zigzag(v: number): void {
    this.uint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  zigzagBig(v: bigint): void {
    this.big(v < 0n ? -2n * v - 1n : 2n * v);
  }

  bytes(b: Uint8Array): void {
    if (this.varints === 'bits') {
      for (const x of b) this.bits(BigInt(x), 8);
      return;
    }
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Everything another writer of the same form wrote, after what this one holds. */
  append(w: Writer): void {
    if (w.varints !== this.varints) throw new Error('share: writers of different forms');
    this.room(w.length);
    this.buf.set(w.buf.subarray(0, w.length), this.length);
    this.length += w.length;
  }

  /** The bytes (the bit form packs its bits most significant first and pads the last byte with zeros). */
  done(): Uint8Array {
    if (this.varints !== 'bits') return this.buf.subarray(0, this.length);
    const out = new Uint8Array(Math.ceil(this.length / 8));
    for (let k = 0; k < this.length; k++) out[k >> 3] |= this.buf[k] << (7 - (k & 7));
    return out;
  }
}

export class Reader {
  /** Position and end in bytes, or in bits for the bit form. */
  at: number;
  readonly end: number;
  /** Varint digit base (128 or 32) and the digits a 64-bit value may take in it. */
  private base = 128;
  private digits = 10;
  constructor(
    private readonly buf: Uint8Array,
    private readonly bitForm = false,
  ) {
    this.at = 0;
    this.end = bitForm ? buf.length * 8 : buf.length;
  }

  /** Switch to base-32 varints (FLAG_NARROW): digits 0-31, plus 32 when more follow. */
  narrow(): void {
    this.base = 32;
    this.digits = 13;
  }

  /** One varint digit byte: [digit, more]. */
  private digit(what: string): [number, boolean] {
    const b = this.byte(what);
    if (b >= 2 * this.base) throw broken(`${what} is not a valid number`);
    return [b % this.base, b >= this.base];
  }

  /** Units (bytes, or bits in the bit form) not read yet. Every value takes at least one. */
  get left(): number {
    return this.end - this.at;
  }

  private bits(width: number, what: string): number {
    if (width > this.left) throw broken(`${what} is missing`);
    let v = 0;
    for (let k = 0; k < width; k++, this.at++) v = v * 2 + ((this.buf[this.at >> 3] >> (7 - (this.at & 7))) & 1);
    return v;
  }

  /** A field written by Writer.field(v, width). */
  field(width: number, what: string): number {
    return this.bitForm ? this.bits(width, what) : this.byte(what);
  }

  byte(what: string): number {
    if (this.bitForm) return this.bits(8, what);
    if (this.at >= this.end) throw broken(`${what} is missing`);
    return this.buf[this.at++];
  }

  /** A value of the bit code (see Writer.code), at most 2^64 − 1. */
  private code(what: string): bigint {
    let zeros = 0;
    while (this.bits(1, what) === 0) if (++zeros > 6) throw broken(`${what} is not a valid number`);
    const b = (2 ** zeros + this.bits(zeros, what)) - 1;
    if (b > 64) throw broken(`${what} is not a valid number`);
    if (b <= 1) return BigInt(b);
    let v = 1n;
    for (let k = 0; k < b - 1; k++) v = (v << 1n) | BigInt(this.bits(1, what));
    return v;
  }

  big(what: string): bigint {
    if (this.bitForm) return this.code(what);
    let v = 0n;
    let scale = 1n;
    const base = BigInt(this.base);
    for (let k = 0; k < this.digits; k++) {
      const [d, more] = this.digit(what);
      v += BigInt(d) * scale;
      if (!more) {
        if (v > U64) break;
        return v;
      }
      scale *= base;
    }
    throw broken(`${what} is not a valid number`);
  }

  /**
   * Unsigned integer up to 2^64 − 1: a number when it is at most 2^53 − 1, else a bigint (fields
   * whose codes pass 2^53 for values that do not: caller offsets and lengths, page counts).
   */
  wide(what: string): number | bigint {
    const at = this.at;
    try {
      return this.uint(what);
    } catch (err) {
      this.at = at;
      const v = this.big(what);
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) throw err;
      return v;
    }
  }

  /** Unsigned integer, at most `max` (≤ 2^53 − 1). */
  uint(what: string, max = Number.MAX_SAFE_INTEGER): number {
    if (this.bitForm) {
      const v = this.code(what);
      if (v > BigInt(max)) throw broken(`${what} is out of range`);
      return Number(v);
    }
    let v = 0;
    let scale = 1;
    while (scale <= 2 ** 56) {
      const [d, more] = this.digit(what);
      v += d * scale;
      if (!more) {
        if (v > max) throw broken(`${what} is out of range`);
        return v;
      }
      scale *= this.base;
    }
    throw broken(`${what} is out of range`);
  }

  zigzag(what: string): number {
    const u = this.uint(what);
    return u % 2 ? -(u + 1) / 2 : u / 2;
  }

  zigzagBig(what: string): bigint {
    const u = this.big(what);
    return u & 1n ? -((u + 1n) >> 1n) : u >> 1n;
  }

  take(n: number, what: string): Uint8Array {
    if (this.bitForm) {
      if (n * 8 > this.left) throw broken(`${what} runs past the end`);
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k++) out[k] = this.bits(8, what);
      return out;
    }
    if (n > this.left) throw broken(`${what} runs past the end`);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** The end: nothing may follow, except in the bit form the zero bits padding the last byte. */
  finish(what: string): void {
    if (!this.bitForm) {
      if (this.left !== 0) throw broken(`${what} has ${this.left} unexpected bytes`);
      return;
    }
    if (this.left >= 8 || this.bits(this.left, what) !== 0) throw broken(`${what} has unexpected bits`);
  }
}
