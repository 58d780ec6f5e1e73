/**
 * Which C functions, called through cgo (`C.f(&x)`), keep the pointers passed to them as far as TinyGo can tell, read
 * from the file's cgo preamble.
 *
 * TinyGo's allocator keeps an object on the stack only when every call its pointer reaches has that parameter marked
 * `nocapture`. Checked with tinygo 0.39.0 `-print-allocs` for feather-nrf52840 (issue 16):
 * - an extern C function (only declared) gets `nocapture` on its pointer parameters (cgo's rule: C must not keep a
 *   Go pointer after the call returns), so `C.f(&x)` leaves x on the stack;
 * - a static function of the preamble or of its headers is compiled from its body (TinyGo links it into the Go
 *   module), so the attribute is whatever clang proves: a plain C body usually proves it, a body of inline assembly
 *   never does, and x moves to the heap. Every Nordic SoftDevice supervisor call is such a function: `SVCALL` in
 *   nrf_svc.h defines `sd_*` as a naked function that traps into the SoftDevice (`svc`), except nrf_nvic.h's
 *   `sd_nvic_*` helpers and ble_gattc.h's `*_iter` helper, which are inline C.
 */

/** Why a C function keeps its pointer arguments. */
export type CgoKeep = 'softdevice' | 'asm';

interface PreambleFacts {
  /** The preamble includes a SoftDevice header (its `sd_*` functions are supervisor calls). */
  softDevice: boolean;
  /** Functions the preamble itself defines as inline assembly (static, naked or asm bodies) or through SVCALL. */
  asm: Set<string>;
}

/** The SoftDevice API headers (S1xx, every version: nrf_sdm.h, nrf_soc.h, ble_gap.h, ...). */
const SOFTDEVICE_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*[<"](?:[\w./-]*\/)?(?:ble(?:_\w+)?|nrf_(?:sdm|soc|svc|mbr|nvic|error(?:_\w+)?))\.h[>"]/m;
const SVCALL_DECL = /\bSVCALL\s*\(\s*[^,()]+,\s*[^,()]+,\s*([A-Za-z_]\w*)\s*\(/g;
/** A function definition's head up to its `{` (the name and a parameter list without nested parentheses). */
const DEFINITION = /([A-Za-z_]\w*)\s*\(([^()]*)\)\s*\{/g;
const ASM = /\b(?:__asm__|__asm|asm)\b|\bnaked\b/;
const C_KEYWORDS: ReadonlySet<string> = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'do']);

/** The preamble's C text: the comment markers of the Go comments it was written in removed. */
function cText(preamble: string): string {
  return preamble.replace(/^[ \t]*\/\/ ?/gm, '').replace(/\/\*|\*\//g, '');
}

function analysePreamble(preamble: string): PreambleFacts {
  const text = cText(preamble);
  const asm = new Set<string>();
  for (const m of text.matchAll(SVCALL_DECL)) if (m[1]) asm.add(m[1]);
  for (const m of text.matchAll(DEFINITION)) {
    const name = m[1] ?? '';
    if (C_KEYWORDS.has(name)) continue;
    // The declaration's head: from the end of the previous declaration or statement to the name.
    const head = text.slice(Math.max(text.lastIndexOf(';', m.index), text.lastIndexOf('}', m.index)) + 1, m.index);
    if (!/\bstatic\b/.test(head)) continue; // extern: TinyGo assumes it keeps nothing
    // The body, to its matching `}`.
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (ASM.test(head) || ASM.test(text.slice(m.index + m[0].length, end))) asm.add(name);
  }
  return { softDevice: SOFTDEVICE_INCLUDE.test(text), asm };
}

const cache = new Map<string, PreambleFacts>();

function factsOf(preamble: string): PreambleFacts {
  let f = cache.get(preamble);
  if (!f) {
    f = analysePreamble(preamble);
    if (cache.size >= 64) cache.clear(); // a few preambles per workspace; bounded all the same
    cache.set(preamble, f);
  }
  return f;
}

/** Whether `C.<name>(...)`, in a file with this cgo preamble, keeps its pointer arguments, and why. */
export function cgoCallKeeps(preamble: string, name: string): CgoKeep | undefined {
  if (!preamble) return undefined;
  const f = factsOf(preamble);
  if (f.asm.has(name)) return 'asm';
  if (f.softDevice && name.startsWith('sd_') && !name.startsWith('sd_nvic_') && !name.endsWith('_iter')) return 'softdevice';
  return undefined;
}
