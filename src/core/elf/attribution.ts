import { readUnitLineInfo } from './dwarfUnits';
import { LineLookup } from './addr2line';
import { SHT_NOBITS, symbolAddress, type ElfFile, type ElfSection } from './elf';

/**
 * Splits every allocated section of a firmware ELF into symbols and named gaps, and gives each symbol an owner: a Go
 * package (from TinyGo's symbol names), a C library (from the DWARF compile unit its address falls in), or one of
 * TinyGo's own bookkeeping rows. By construction the pieces of a section tile it exactly, so per section the sum
 * over pieces equals the section size (test/unit/elf/attribution.test.ts checks it against llvm-size on every fixture).
 */

export type SizeClass = 'text' | 'data' | 'bss';

export interface AttributedSection {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  /** llvm-size's Berkeley classes: text = allocated and read-only, data = writable with contents, bss = NOBITS. */
  readonly class: SizeClass;
}

export interface AttributedPiece {
  /** The symbol name, or `(padding)` / `(unnamed)` / `(stack)` for bytes no symbol covers. */
  readonly name: string;
  readonly package: string;
  readonly section: string;
  readonly address: number;
  readonly size: number;
  readonly gap: boolean;
  /** ELF symbol type (func, object, notype); undefined for a gap. */
  readonly type?: string;
}

export interface Attribution {
  readonly sections: readonly AttributedSection[];
  readonly pieces: readonly AttributedPiece[];
  readonly totals: { text: number; data: number; bss: number; flash: number; ram: number };
}

const SHF_WRITE = 1;
const SHF_ALLOC = 2;
/** Gaps shorter than this, ending on an aligned address, are alignment padding rather than unnamed code or data. */
const PADDING_MAX = 8;

/**
 * The Go package of a TinyGo symbol name, or undefined when the name is not Go's. TinyGo names functions
 * `pkg/path.Func`, methods `(*pkg/path.Type).Method` or `(pkg/path.Type).Method`, closures `pkg.Func$1`, its globals
 * for string and allocation constants `pkg$string.3` / `runtime$alloc.12`, and generic instantiations
 * `pkg.F[other/pkg.T]`: the package is the part before the first dot after the last slash, once the receiver's
 * parenthesis, type arguments and `$` suffixes are gone.
 */
export function goPackageOf(symbol: string): string | undefined {
  let s = symbol;
  if (s.startsWith('(*')) s = s.slice(2);
  else if (s.startsWith('(')) s = s.slice(1);
  const cut = s.search(/[[$]/);
  const hadDollar = cut >= 0 && s[cut] === '$';
  if (cut >= 0) s = s.slice(0, cut);
  const slash = s.lastIndexOf('/');
  const dot = s.indexOf('.', slash + 1);
  const pkg = dot > 0 ? s.slice(0, dot) : hadDollar ? s : undefined;
  if (!pkg || !/^[A-Za-z_][\w.\-~]*(\/[\w.\-~]+)*$/.test(pkg)) return undefined;
  // C compilers make dotted local names too (`memcpy.part.0`, `.Lstr`): a Go package path starts lower case.
  if (!/^[a-z_]/.test(pkg) && !pkg.includes('/')) return undefined;
  return pkg;
}

/**
 * The owner of a source file: under a `lib/<name>/` directory (TinyGo's bundled C libraries) `C picolibc`,
 * `C compiler-rt-builtins`, `C nrfx`... as -size=full names them; under a `src/` directory (TINYGOROOT's Go packages,
 * whose assembly and `//export`ed functions have no Go-looking symbol name) the package directory; else undefined.
 */
export function ownerOfPath(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  const lib = /\/lib\/([^/]+)\//.exec(p);
  if (lib) return `C ${lib[1]}`;
  const src = /\/src\/(.+)\/[^/]+$/.exec(p);
  return src ? src[1] : undefined;
}

function sizeClass(s: ElfSection): SizeClass {
  if (s.type === SHT_NOBITS) return 'bss';
  return s.flags & SHF_WRITE ? 'data' : 'text';
}

/**
 * Address → owner of the code there, from DWARF: first the compile units with a C/assembly source name (TinyGo names
 * its Go units `<unknown>`), then the file of the line-table row (for `//export`ed Go functions such as
 * `USBD_IRQHandler`, whose symbol name says nothing). Damaged or missing DWARF: no owner, names alone decide.
 */
function codeOwnerIndex(elf: ElfFile, given?: LineLookup): (address: number) => { unit?: string; file?: string } {
  let lines = given;
  if (!lines) try { lines = new LineLookup(elf); } catch { lines = undefined; }
  let units: { low: number; high: number; owner: string }[] = [];
  try {
    // The line lookup read the units already; without it (no or damaged line table) they are read here.
    units = (lines?.unitInfos ?? readUnitLineInfo(elf)).flatMap((u) => {
      const owner = u.name && /\.(c|cc|cpp|s|S)$/.test(u.name) ? ownerOfPath(u.name) : undefined;
      return owner ? u.ranges.map(([low, high]) => ({ low, high, owner })) : [];
    });
  } catch { units = []; }
  return (address) => {
    const unit = units.find((u) => u.low <= address && address < u.high)?.owner;
    if (unit) return { unit };
    let file: string | undefined;
    try { file = lines?.lookup(address)?.file; } catch { file = undefined; }
    return { file: file && ownerOfPath(file) };
  };
}

function ownerOf(name: string, address: number, section: AttributedSection, code: ReturnType<typeof codeOwnerIndex>): string {
  if (name === '__isr_vector') return 'C interrupt vector';
  if (/^(reflect\/types\.)?type:|^interface:/.test(name)) return 'Go types';
  const at = section.class === 'text' ? code(address) : {};
  return at.unit ?? goPackageOf(name) ?? at.file ?? '(unknown)';
}

/** `lines`: the ELF's line table when the caller has read it already (it is the costliest part of reading DWARF). */
export function attribute(elf: ElfFile, lines?: LineLookup): Attribution {
  const cUnit = codeOwnerIndex(elf, lines);
  const sections: AttributedSection[] = [];
  const pieces: AttributedPiece[] = [];
  for (const s of elf.sections) {
    if (!(s.flags & SHF_ALLOC) || s.size === 0) continue;
    const section: AttributedSection = { name: s.name, address: s.address, size: s.size, class: sizeClass(s) };
    sections.push(section);
    const end = s.address + s.size;
    // Aliases (same start) keep the first global one; a symbol sticking out of the section is clipped to it.
    const seen = new Map<number, { name: string; start: number; end: number; type: string; global: boolean }>();
    for (const sym of elf.symbols) {
      if (sym.shndx !== s.index || sym.size === 0 || sym.type === 'section' || sym.type === 'file') continue;
      const start = symbolAddress(elf, sym);
      if (start >= end || start + sym.size <= s.address) continue;
      const cand = { name: sym.name, start, end: start + sym.size, type: sym.type, global: sym.bind !== 'local' };
      const prev = seen.get(start);
      if (!prev || (cand.global && !prev.global) || (cand.global === prev.global && cand.end > prev.end)) seen.set(start, cand);
    }
    const syms = [...seen.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    let cursor = s.address;
    const gap = (to: number) => {
      if (to <= cursor) return;
      const n = to - cursor;
      const isStack = /^\.stack/.test(s.name) && syms.length === 0;
      const name = isStack ? '(stack)' : n < PADDING_MAX && to % 4 === 0 && to < end ? '(padding)' : '(unnamed)';
      const pkg = isStack ? 'C stack' : name === '(padding)' ? '(padding)' : ownerOf('', cursor, section, cUnit);
      pieces.push({ name, package: pkg, section: s.name, address: cursor, size: n, gap: true });
      cursor = to;
    };
    for (const sym of syms) {
      gap(sym.start);
      const start = Math.max(sym.start, cursor);
      const stop = Math.min(sym.end, end);
      if (stop <= start) continue; // wholly inside an earlier symbol
      pieces.push({ name: sym.name, package: ownerOf(sym.name, start, section, cUnit), section: s.name, address: start, size: stop - start,
        gap: false, type: sym.type });
      cursor = stop;
    }
    gap(end);
  }
  const sum = (c: SizeClass) => sections.filter((s) => s.class === c).reduce((n, s) => n + s.size, 0);
  const text = sum('text');
  const data = sum('data');
  const bss = sum('bss');
  return { sections, pieces, totals: { text, data, bss, flash: text + data, ram: data + bss } };
}

export interface PackageTotal { package: string; flash: number; ram: number; text: number; data: number; bss: number }

/** Per owner: flash = text + data (the load image), ram = data + bss, largest flash first. */
export function packageTotals(a: Attribution): PackageTotal[] {
  const classOf = new Map(a.sections.map((s) => [s.name, s.class]));
  const rows = new Map<string, PackageTotal>();
  for (const p of a.pieces) {
    const row = rows.get(p.package) ?? { package: p.package, flash: 0, ram: 0, text: 0, data: 0, bss: 0 };
    rows.set(p.package, row);
    const c = classOf.get(p.section)!;
    row[c] += p.size;
    if (c !== 'bss') row.flash += p.size;
    if (c !== 'text') row.ram += p.size;
  }
  return [...rows.values()].sort((x, y) => y.flash - x.flash || y.ram - x.ram || x.package.localeCompare(y.package));
}
