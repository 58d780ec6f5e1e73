/**
 * The code address in a line TinyGo's runtime prints when a program dies, so it can be looked up in the firmware's
 * DWARF line table (what `tinygo monitor` does to print `[tinygo: panic at FILE:LINE:COL]`).
 */
export interface PanicAddress {
  /** The address as printed; look it up as is, like `tinygo monitor` (see below). */
  readonly address: number;
  /** UTF-16 offsets of the address text (`0x00000dd7`, `3543`) inside the line, end exclusive. */
  readonly start: number;
  readonly end: number;
  /**
   * `runtime-error`: `panic: runtime error at 0x…: MSG` from runtimePanicAt (and the host signal handler). The runtime
   * already prints return address − call size, so the value lies inside the call instruction (on Thumb it keeps the
   * return address's low bit, e.g. 0x…dd7); `tinygo monitor` looks it up unchanged, and so does this.
   * `hard-fault`: `fatal error: HardFault with sp=0x… pc=N` from the Cortex-M fault handler: the faulting
   * instruction's address, printed in decimal.
   */
  readonly kind: 'runtime-error' | 'hard-fault';
}

// TinyGo's printptr: "0x" and all the pointer's nibbles in lower case (8 on 32-bit targets, 16 on 64-bit hosts).
// Anchored at the line start like monitor.go's `^panic: runtime error at 0x([0-9a-f]+): `.
const RUNTIME_ERROR = /^panic: runtime error at (0x([0-9a-f]{1,16})): /;
// runtime_cortexm_hardfault*.go: print(" pc=", sp.PC) with PC an uintptr, which print writes in decimal.
const HARD_FAULT = /^fatal error: .*? pc=(\d{1,20})\s*$/;

/** The address in a TinyGo panic or hard-fault line, or undefined for any other line. Never throws. */
export function panicAddress(text: string): PanicAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const r = RUNTIME_ERROR.exec(text);
  if (r) {
    const start = r[0].indexOf('0x');
    const address = Number.parseInt(r[2]!, 16);
    return usable(address) ? { address, start, end: start + r[1]!.length, kind: 'runtime-error' } : undefined;
  }
  const h = HARD_FAULT.exec(text);
  if (h) {
    const address = Number(h[1]);
    const end = text.trimEnd().length;
    return usable(address) ? { address, start: end - h[1]!.length, end, kind: 'hard-fault' } : undefined;
  }
  return undefined;
}

// Zero is what monitor.go treats as "no address"; above 2^53 a number would not be exact.
function usable(address: number): boolean {
  return Number.isSafeInteger(address) && address > 0;
}
