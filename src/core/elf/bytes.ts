import { ElfError } from './error';

/**
 * A bounds-checked little-endian cursor over a byte range. Every read checks the range first, so a hostile length or
 * offset becomes an ElfError naming what was being read, never an out-of-range read or a silent zero.
 */
export class ByteCursor {
  private pos: number;

  /** Reads `bytes[start, end)`; `what` names the structure in error messages ("section header 3"). */
  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly what: string,
  ) {
    if (!(start >= 0 && end <= bytes.length && start <= end)) {
      throw new ElfError(`${what} lies outside the file (bytes ${start}..${end} of ${bytes.length})`);
    }
    this.pos = start;
  }

  get offset(): number { return this.pos; }
  get remaining(): number { return this.end - this.pos; }
  atEnd(): boolean { return this.pos >= this.end; }

  seek(offset: number): void {
    if (!(offset >= this.start && offset <= this.end)) throw new ElfError(`${this.what}: offset ${offset} is out of range`);
    this.pos = offset;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private need(n: number): void {
    if (!(n >= 0 && n <= this.end - this.pos)) {
      throw new ElfError(`${this.what} is truncated (needs ${n} more bytes at offset ${this.pos}, ${this.end - this.pos} left)`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(): number {
    this.need(2);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 2;
    return b[p]! | (b[p + 1]! << 8);
  }

  u32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  /**
   * A 64-bit value as a JS number. Addresses and offsets above 2^53 cannot be exact, so they are refused: no real
   * firmware or host executable has them, and a wrong number would be worse than a clear error.
   */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi >= 0x200000) throw new ElfError(`${this.what}: 64-bit value at offset ${this.pos - 8} is too large`);
    return hi * 0x100000000 + lo;
  }

  /**
   * A DWARF address of `size` bytes, where all-ones and all-ones-minus-one are tombstones (discarded code) and base
   * address markers: on 64 bits those become MAX_SAFE_INTEGER and MAX_SAFE_INTEGER - 1 instead of an error.
   */
  address(size: number): number {
    if (size !== 8) return this.uN(size);
    const lo = this.u32();
    const hi = this.u32();
    if (hi === 0xffffffff && lo >= 0xfffffffe) return Number.MAX_SAFE_INTEGER - (0xffffffff - lo);
    if (hi >= 0x200000) throw new ElfError(`${this.what}: address at offset ${this.pos - 8} is too large`);
    return hi * 0x100000000 + lo;
  }

  /** An address or offset of 4 or 8 bytes (ELF class, DWARF format, DWARF address size). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new ElfError(`${this.what}: unsupported field size ${size}`);
    }
  }

  /** Unsigned LEB128; values beyond 2^53 are refused rather than rounded. */
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
      if (mul > 2 ** 56) throw new ElfError(`${this.what}: LEB128 number at offset ${this.pos} is too long`);
    }
    if (result > Number.MAX_SAFE_INTEGER) throw new ElfError(`${this.what}: LEB128 number is too large`);
    return result;
  }

  sleb(): number {
    let result = 0;
    let mul = 1;
    let b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (mul > 2 ** 63 && (b & 0x80)) throw new ElfError(`${this.what}: LEB128 number at offset ${this.pos} is too long`);
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    if (!Number.isSafeInteger(result)) throw new ElfError(`${this.what}: LEB128 number is too large`);
    return result;
  }

  /** A NUL-terminated string (UTF-8); the terminator must lie inside the range. */
  cstring(): string {
    const nul = this.bytes.indexOf(0, this.pos);
    if (nul < 0 || nul >= this.end) throw new ElfError(`${this.what}: unterminated string at offset ${this.pos}`);
    const s = decodeUtf8(this.bytes, this.pos, nul);
    this.pos = nul + 1;
    return s;
  }
}

const decoder = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** The NUL-terminated string at `offset` inside a string table `[start, end)`; '' for offsets outside it. */
export function stringAt(bytes: Uint8Array, start: number, end: number, offset: number, what: string): string {
  if (!(offset >= 0 && start + offset < end)) throw new ElfError(`${what}: string offset ${offset} is outside its string table`);
  const from = start + offset;
  const nul = bytes.indexOf(0, from);
  if (nul < 0 || nul >= end) throw new ElfError(`${what}: unterminated string at string table offset ${offset}`);
  return decodeUtf8(bytes, from, nul);
}
