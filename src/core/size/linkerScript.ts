/**
 * The memory a program may use, read from the target's GNU ld linker script: MEMORY regions (after SoftDevice and
 * bootloader reservations), `_stack_size`, and other top-level symbols. Only the expression language those
 * scripts use is evaluated; SECTIONS is skipped because it needs the linked program.
 */

export interface MemoryRegion {
  name: string;
  /** Attribute letters as written, e.g. `rx`, `xrw`; empty when absent. */
  attrs: string;
  origin: number;
  length: number;
}

export interface LinkerScript {
  regions: MemoryRegion[];
  /** Top-level symbols that evaluated to a number (`_stack_size`, `__app_ram_base`, `_heap_end`, …). */
  symbols: Record<string, number>;
  /** `_stack_size` in bytes, when the script sets it. */
  stackSize?: number;
  /** INCLUDE names in the order they were followed. */
  includes: string[];
  /** Symbols whose value needs the linked program (`LOADADDR(.data)`, `_ebss`): not errors. */
  unresolved: string[];
  errors: string[];
}

export interface LinkerScriptOptions {
  /**
   * Returns the text of an INCLUDEd script (names are as written, e.g. `targets/arm.ld`, relative to TINYGOROOT),
   * or undefined when it cannot be read.
   */
  readFile?: (name: string) => string | undefined;
  /** Symbols given with `--defsym` (TinyGo's rp2040 targets pass `__flash_size`). */
  defsym?: Record<string, number>;
}

// ---- expressions ------------------------------------------------------------------------------------------------

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

class ExprError extends Error {
  constructor(
    message: string,
    readonly unresolved?: string,
  ) {
    super(message);
  }
}

const OPS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '(', ')', ',', '?', ':', '<', '>', '&', '|', '~', '!'];

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|\d+)([kKmM])?/.exec(expr.slice(i, i + 40));
    if (num && /\d/.test(c)) {
      const lit = num[1];
      let v = /^0[xX]/.test(lit) ? parseInt(lit.slice(2), 16) : /^0[0-7]+$/.test(lit) ? parseInt(lit, 8) : Number(lit);
      if (/^0\d*[89]/.test(lit) && !/^0[xX]/.test(lit) && lit.length > 1) {
        throw new ExprError(`bad octal number ${lit}`);
      }
      const unit = num[2]?.toUpperCase();
      if (unit === 'K') {
        v *= 1024;
      } else if (unit === 'M') {
        v *= 1024 * 1024;
      }
      if (!Number.isSafeInteger(v)) {
        throw new ExprError(`number ${num[0]} is too large`);
      }
      out.push({ t: 'num', v });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(expr.slice(i, i + 256));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => expr.startsWith(o, i));
    if (!op) {
      throw new ExprError(`unexpected character "${c}"`);
    }
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

interface EvalContext {
  regions: ReadonlyMap<string, MemoryRegion>;
  symbols: ReadonlyMap<string, number>;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '&': 4,
  '==': 5,
  '!=': 5,
  '<': 6,
  '<=': 6,
  '>': 6,
  '>=': 6,
  '<<': 7,
  '>>': 7,
  '+': 8,
  '-': 8,
  '*': 9,
  '/': 9,
  '%': 9,
};

class ExprParser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly ctx: EvalContext,
  ) {}

  parse(): number {
    if (this.tokens.length === 0) {
      throw new ExprError('empty expression');
    }
    const v = this.ternary();
    if (this.pos < this.tokens.length) {
      throw new ExprError(`unexpected "${String(this.tokens[this.pos].v)}"`);
    }
    return v;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t && t.t === 'op' ? t.v : undefined;
  }

  private expectOp(op: string): void {
    if (this.peekOp() !== op) {
      throw new ExprError(`expected "${op}"`);
    }
    this.pos++;
  }

  private ternary(): number {
    const cond = this.binary(1);
    if (this.peekOp() !== '?') {
      return cond;
    }
    this.pos++;
    // Both branches are parsed (to check syntax) but only the taken one may be unresolved, as in ld.
    const a = this.lazy(() => this.ternary());
    this.expectOp(':');
    const b = this.lazy(() => this.ternary());
    return cond !== 0 ? a() : b();
  }

  private lazy(f: () => number): () => number {
    try {
      const v = f();
      return () => v;
    } catch (e) {
      if (e instanceof ExprError && e.unresolved !== undefined) {
        return () => {
          throw e;
        };
      }
      throw e;
    }
  }

  private binary(minPrec: number): number {
    let left = this.unary();
    for (;;) {
      const op = this.peekOp();
      const prec = op === undefined ? undefined : BINARY_PRECEDENCE[op];
      if (op === undefined || prec === undefined || prec < minPrec) {
        return left;
      }
      this.pos++;
      const right = this.binary(prec + 1);
      left = applyBinary(op, left, right);
    }
  }

  private unary(): number {
    const op = this.peekOp();
    if (op === '-' || op === '~' || op === '!' || op === '+') {
      this.pos++;
      const v = this.unary();
      return op === '-' ? -v : op === '~' ? ~v >>> 0 : op === '!' ? Number(v === 0) : v;
    }
    return this.primary();
  }

  private nameArg(): string {
    this.expectOp('(');
    const t = this.tokens[this.pos];
    if (!t || t.t !== 'id') {
      throw new ExprError('expected a name');
    }
    this.pos++;
    this.expectOp(')');
    return t.v;
  }

  private exprArgs(): number[] {
    this.expectOp('(');
    const out = [this.ternary()];
    while (this.peekOp() === ',') {
      this.pos++;
      out.push(this.ternary());
    }
    this.expectOp(')');
    return out;
  }

  private primary(): number {
    const t = this.tokens[this.pos];
    if (!t) {
      throw new ExprError('unexpected end of expression');
    }
    if (t.t === 'num') {
      this.pos++;
      return t.v;
    }
    if (t.t === 'op') {
      if (t.v === '(') {
        this.pos++;
        const v = this.ternary();
        this.expectOp(')');
        return v;
      }
      throw new ExprError(`unexpected "${t.v}"`);
    }
    this.pos++;
    const name = t.v;
    const isCall = this.peekOp() === '(';
    if (isCall) {
      switch (name) {
        case 'ORIGIN':
        case 'LENGTH': {
          const region = this.nameArg();
          const r = this.ctx.regions.get(region);
          if (!r) {
            throw new ExprError(`${name}(${region}): no such memory region`, `${name}(${region})`);
          }
          return name === 'ORIGIN' ? r.origin : r.length;
        }
        case 'DEFINED':
          return Number(this.ctx.symbols.has(this.nameArg()));
        case 'ABSOLUTE':
          return this.exprArgs()[0];
        case 'MAX':
        case 'MIN': {
          const a = this.exprArgs();
          if (a.length !== 2) {
            throw new ExprError(`${name} takes two arguments`);
          }
          return name === 'MAX' ? Math.max(a[0], a[1]) : Math.min(a[0], a[1]);
        }
        case 'ALIGN': {
          const a = this.exprArgs();
          if (a.length !== 2) {
            throw new ExprError('ALIGN(align) needs the location counter', 'ALIGN');
          }
          return a[1] === 0 ? a[0] : Math.ceil(a[0] / a[1]) * a[1];
        }
        case 'ADDR':
        case 'LOADADDR':
        case 'SIZEOF':
        case 'ALIGNOF': {
          const section = this.nameArg();
          throw new ExprError(`${name}(${section}) is only known after linking`, `${name}(${section})`);
        }
        default:
          throw new ExprError(`unsupported function ${name}()`);
      }
    }
    if (name === '.') {
      throw new ExprError('the location counter is only known inside SECTIONS', '.');
    }
    const v = this.ctx.symbols.get(name);
    if (v === undefined) {
      throw new ExprError(`undefined symbol ${name}`, name);
    }
    return v;
  }
}

function applyBinary(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0) {
        throw new ExprError('division by zero');
      }
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '<<':
      return a * 2 ** b;
    case '>>':
      return Math.floor(a / 2 ** b);
    case '<':
      return Number(a < b);
    case '<=':
      return Number(a <= b);
    case '>':
      return Number(a > b);
    case '>=':
      return Number(a >= b);
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '&':
      return Number(BigInt(a) & BigInt(b));
    case '|':
      return Number(BigInt(a) | BigInt(b));
    case '&&':
      return Number(a !== 0 && b !== 0);
    case '||':
      return Number(a !== 0 || b !== 0);
    default:
      throw new ExprError(`unknown operator ${op}`);
  }
}

export type ExprResult = { ok: true; value: number } | { ok: false; error: string; unresolved?: string };

/** Evaluates one ld expression. `regions` and `symbols` are what ORIGIN()/LENGTH() and names can refer to. */
export function evaluateExpression(
  expr: string,
  regions: ReadonlyMap<string, MemoryRegion> = new Map(),
  symbols: ReadonlyMap<string, number> = new Map(),
): ExprResult {
  try {
    const value = new ExprParser(tokenize(expr), { regions, symbols }).parse();
    if (!Number.isSafeInteger(value)) {
      return { ok: false, error: `value of "${expr.trim()}" is out of range` };
    }
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ExprError) {
      return e.unresolved !== undefined ? { ok: false, error: e.message, unresolved: e.unresolved } : { ok: false, error: e.message };
    }
    return { ok: false, error: String(e) };
  }
}

// ---- script structure -----------------------------------------------------------------------------------------

function stripComments(text: string, errors: string[], name: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('/*', i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start) + ' ';
    const end = text.indexOf('*/', start + 2);
    if (end < 0) {
      errors.push(`${name}: unterminated comment`);
      break;
    }
    i = end + 2;
  }
  return out;
}

const MAX_INCLUDE_DEPTH = 16;

function expandIncludes(text: string, name: string, opts: LinkerScriptOptions, result: LinkerScript, depth: number, stack: string[]): string {
  const clean = stripComments(text, result.errors, name);
  return clean.replace(/\bINCLUDE\s+(?:"([^"]*)"|([^\s;"]+))\s*;?/g, (_m, quoted: string | undefined, bare: string | undefined) => {
    const inc = quoted ?? bare ?? '';
    if (depth >= MAX_INCLUDE_DEPTH || stack.includes(inc)) {
      result.errors.push(`${name}: INCLUDE "${inc}" nests too deeply or includes itself`);
      return ' ';
    }
    result.includes.push(inc);
    let body: string | undefined;
    try {
      body = opts.readFile?.(inc);
    } catch {
      body = undefined;
    }
    if (body === undefined) {
      result.errors.push(`${name}: cannot read included script "${inc}"`);
      return ' ';
    }
    return '\n' + expandIncludes(body, inc, opts, result, depth + 1, [...stack, inc]) + '\n';
  });
}

/** Index just past the `}` matching the `{` at `open`, or -1. */
function matchBrace(text: string, open: number, openCh = '{', closeCh = '}'): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === openCh) {
      depth++;
    } else if (text[i] === closeCh) {
      depth--;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return -1;
}

/** Removes `KEYWORD { … }` blocks, handing each body to `onBody`. */
function cutBlocks(text: string, keyword: string, errors: string[], onBody: (body: string) => void): string {
  const re = new RegExp(`\\b${keyword}\\s*\\{`, 'g');
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const open = m.index + m[0].length - 1;
    const end = matchBrace(text, open);
    if (end < 0) {
      errors.push(`${keyword} block is not closed`);
      out += text.slice(last, m.index);
      last = text.length;
      break;
    }
    onBody(text.slice(open + 1, end - 1));
    out += text.slice(last, m.index) + ';';
    last = end;
    re.lastIndex = end;
  }
  return out + text.slice(last);
}

const MEMORY_ENTRY_RE = /([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\(\s*(!?[A-Za-z!]*)\s*\))?\s*:\s*(?:ORIGIN|org|o)\s*=\s*/g;

function parseMemory(body: string, regions: MemoryRegion[], opts: LinkerScriptOptions, errors: string[]): void {
  const starts: { name: string; attrs: string; exprStart: number; index: number }[] = [];
  for (let m = MEMORY_ENTRY_RE.exec(body); m !== null; m = MEMORY_ENTRY_RE.exec(body)) {
    starts.push({ name: m[1], attrs: m[2] ?? '', exprStart: m.index + m[0].length, index: m.index });
  }
  MEMORY_ENTRY_RE.lastIndex = 0;
  const leftover = (starts.length > 0 ? body.slice(0, starts[0].index) : body).trim();
  if (leftover !== '') {
    errors.push(`MEMORY: cannot read "${leftover.slice(0, 80)}"`);
  }
  const symbols = new Map(Object.entries(opts.defsym ?? {}));
  starts.forEach((s, k) => {
    const entry = body.slice(s.exprStart, k + 1 < starts.length ? starts[k + 1].index : body.length);
    const lm = /^([\s\S]*?),?\s*(?:LENGTH|len|l)\s*=\s*([\s\S]*)$/.exec(entry);
    if (!lm) {
      errors.push(`MEMORY region ${s.name}: no LENGTH`);
      return;
    }
    const byName = new Map(regions.map((r) => [r.name, r]));
    const origin = evaluateExpression(lm[1].replace(/,\s*$/, ''), byName, symbols);
    const length = evaluateExpression(lm[2], byName, symbols);
    if (!origin.ok) {
      errors.push(`MEMORY region ${s.name}: ORIGIN: ${origin.error}`);
    }
    if (!length.ok) {
      errors.push(`MEMORY region ${s.name}: LENGTH: ${length.error}`);
    }
    if (origin.ok && length.ok) {
      if (origin.value < 0 || length.value < 0) {
        errors.push(`MEMORY region ${s.name}: negative origin or length`);
        return;
      }
      regions.push({ name: s.name, attrs: s.attrs, origin: origin.value, length: length.value });
    }
  });
}

/** Commands with parenthesised arguments that set nothing this module needs. */
const IGNORED_COMMANDS = /\b(?:ENTRY|OUTPUT_FORMAT|OUTPUT_ARCH|SEARCH_DIR|STARTUP|GROUP|INPUT|OUTPUT|TARGET|EXTERN|ASSERT|NOCROSSREFS|INSERT|FORCE_COMMON_ALLOCATION)\s*\(/g;

function cutCommands(text: string): string {
  let out = '';
  let last = 0;
  for (let m = IGNORED_COMMANDS.exec(text); m !== null; m = IGNORED_COMMANDS.exec(text)) {
    const open = m.index + m[0].length - 1;
    const end = matchBrace(text, open, '(', ')');
    const stop = end < 0 ? text.length : end;
    out += text.slice(last, m.index) + ';';
    last = stop;
    IGNORED_COMMANDS.lastIndex = stop;
  }
  IGNORED_COMMANDS.lastIndex = 0;
  return out + text.slice(last);
}

interface Assignment {
  name: string;
  op: string;
  expr: string;
  provide: boolean;
}

/** Parses a linker script and the scripts it INCLUDEs. Never throws: problems are in `errors`. */
export function parseLinkerScript(text: string, options: LinkerScriptOptions = {}, name = 'linker script'): LinkerScript {
  const result: LinkerScript = { regions: [], symbols: {}, includes: [], unresolved: [], errors: [] };
  const expanded = expandIncludes(text, name, options, result, 0, []);
  let rest = cutBlocks(expanded, 'MEMORY', result.errors, (body) => parseMemory(body, result.regions, options, result.errors));
  rest = cutBlocks(rest, 'SECTIONS', result.errors, () => undefined);
  rest = cutCommands(rest);

  const aliases: [string, string][] = [];
  const assignments: Assignment[] = [];
  for (const raw of rest.split(';')) {
    const stmt = raw.trim();
    if (stmt === '') {
      continue;
    }
    const alias = /^REGION_ALIAS\s*\(\s*"?([^",\s]+)"?\s*,\s*([A-Za-z_][\w.]*)\s*\)$/.exec(stmt);
    if (alias) {
      aliases.push([alias[1], alias[2]]);
      continue;
    }
    const prov = /^(PROVIDE|PROVIDE_HIDDEN|HIDDEN)\s*\(\s*([A-Za-z_.$][\w.$]*)\s*=\s*([\s\S]*)\)$/.exec(stmt);
    if (prov) {
      assignments.push({ name: prov[2], op: '=', expr: prov[3], provide: prov[1] !== 'HIDDEN' });
      continue;
    }
    const asg = /^([A-Za-z_.$][\w.$]*)\s*([+\-*/]?=)\s*([\s\S]+)$/.exec(stmt);
    if (asg && asg[1] !== '.') {
      assignments.push({ name: asg[1], op: asg[2], expr: asg[3], provide: false });
      continue;
    }
    result.errors.push(`cannot read statement "${stmt.slice(0, 80)}"`);
  }

  for (const [alias, target] of aliases) {
    const r = result.regions.find((x) => x.name === target);
    if (r) {
      result.regions.push({ ...r, name: alias });
    } else {
      result.errors.push(`REGION_ALIAS ${alias}: no memory region ${target}`);
    }
  }

  evaluateAssignments(assignments, result, options);
  if (result.symbols._stack_size !== undefined) {
    result.stackSize = result.symbols._stack_size;
  }
  return result;
}

/**
 * ld evaluates top-level assignments lazily, so a symbol may use one defined further down (nrf52833-s113v7 uses
 * `__softdevice_stack` before it is set). Assignments are retried until no more resolve.
 */
function evaluateAssignments(assignments: Assignment[], result: LinkerScript, options: LinkerScriptOptions): void {
  const symbols = new Map<string, number>(Object.entries(options.defsym ?? {}));
  const regions = new Map(result.regions.map((r) => [r.name, r]));
  let pending = assignments.map((a, order) => ({ ...a, order }));
  const lastError = new Map<number, { error: string; unresolved?: string }>();
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    const still: typeof pending = [];
    for (const a of pending) {
      if (a.provide && symbols.has(a.name)) {
        progress = true;
        continue;
      }
      const expr = a.op === '=' ? a.expr : `${a.name} ${a.op[0]} (${a.expr})`;
      const r = evaluateExpression(expr, regions, symbols);
      if (r.ok) {
        symbols.set(a.name, r.value);
        progress = true;
      } else {
        lastError.set(a.order, r);
        still.push(a);
      }
    }
    pending = still;
  }
  for (const a of pending) {
    const err = lastError.get(a.order);
    if (err?.unresolved !== undefined) {
      if (!result.unresolved.includes(a.name)) {
        result.unresolved.push(a.name);
      }
    } else {
      result.errors.push(`${a.name}: ${err?.error ?? 'cannot evaluate'}`);
    }
  }
  for (const [k, v] of symbols) {
    if (!(options.defsym && k in options.defsym)) {
      result.symbols[k] = v;
    }
  }
}

/** The regions TinyGo's `-size` flash and RAM are measured against: FLASH_TEXT (or FLASH) and RAM. */
export function flashAndRam(regions: readonly MemoryRegion[]): { flash?: MemoryRegion; ram?: MemoryRegion } {
  const find = (names: string[]): MemoryRegion | undefined => {
    for (const n of names) {
      const r = regions.find((x) => x.name === n);
      if (r) {
        return r;
      }
    }
    return undefined;
  };
  return { flash: find(['FLASH_TEXT', 'FLASH', 'ROM', 'rom']), ram: find(['RAM', 'ram', 'SRAM']) };
}
