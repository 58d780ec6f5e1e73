/**
 * The heap-allocation analysis of one declaration, for the rules of alloc.ts: the engine computes it once per
 * declaration (ALLOC_ANALYSIS, through RuleContext.shared) and each alloc rule reports its own findings from `out`.
 *
 * The model is TinyGo's allocator (background doc, section 4): an allocation stays on the stack only when its size is
 * a constant no larger than MaxStackAlloc and the pointer never escapes: it is not stored anywhere (other than into
 * the object itself), not returned (TinyGo does not follow return values), and only passed to calls that do not
 * capture it. Interface boxing of values larger than a pointer, closures that outlive their call, string<->[]byte
 * conversions (except read-only ones), string concatenation, maps and goroutine starts always allocate.
 *
 * Cost (this runs on every declaration of every file in a workspace scan): the candidates come from the text scan of
 * allocCandidates.ts, whose table names the method here that judges each kind; the local declarations the same scan
 * finds feed the resolver (allocScope.ts). Names and operators are read from the declaration's text rather than
 * through the node API, every call of which crosses into wasm and allocates; the identifiers through which a local
 * escapes are found by their text too.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleContext, SharedAnalysis } from '../engine';
import type { Fix, Range } from '../model';
import { callOf, codePointBefore, inErrorRegion, isIdentChar, nodeRange } from '../syntax';
import { ALLOC_IDS, allocPrefilter, BOXING_FUNCS, scan, Scan, type AllocRuleId, type CandidateKind } from './allocCandidates';
import { cgoCallKeeps } from './cgoCalls';
import { isByteOrRuneSlice, isInterfaceText, isPointerShaped, norm, Resolver, type LocalDecl } from './allocScope';

/** A finding of one alloc rule, reported as it is by that rule. */
export interface AllocFinding { at: Node | Range; message: string; fixes?: Fix[] }

/** Where an address or a closure ends up. */
type Sink =
  | { kind: 'return' }
  | { kind: 'send' }
  | { kind: 'global'; name: string }
  | { kind: 'heap'; target: string }
  | { kind: 'goroutine' }
  | { kind: 'captured' }
  | { kind: 'append' }
  | { kind: 'appendTo'; callee: string }
  | { kind: 'callee'; callee: string; why: string }
  | { kind: 'alias'; decl: LocalDecl };

/**
 * The words of `text` (maximal runs of XID_Continue characters, each starting at the first XID_Start or `_` after
 * a character outside XID_Continue) that are in `names`, in document order: found by searching the text for each
 * name (native string search; a regular expression over every word cost more), each checked to be a whole word.
 */
function wordsNamed(text: string, names: ReadonlySet<string>): { index: number; name: string }[] {
  const out: { index: number; name: string }[] = [];
  for (const name of names) {
    if (name.length === 0) continue;
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      const end = i + name.length;
      if (end < text.length) {
        if (isIdentChar(text.codePointAt(end) as number)) continue;
      }
      // Not the tail of a word that starts before: the XID_Continue characters just before start no word.
      let inside = false;
      for (let j = i; j > 0;) {
        const { c, at } = codePointBefore(text, j);
        if (!isIdentChar(c)) break;
        if (isIdentChar(c, true)) { inside = true; break; }
        j = at;
      }
      if (!inside) out.push({ index: i, name });
    }
  }
  if (out.length > 1) out.sort((a, b) => a.index - b.index);
  return out;
}

/** The first character after white space. */
const NEXT_TOKEN = /\s*(.?)/y;

/** A node to judge, and its kind. */
interface Cand { kind: CandidateKind; node: Node }

const WHY_RETURN = 'TinyGo does not track values through returns, so its allocator cannot keep it on the stack';
const WHY_STORE = 'TinyGo keeps an object on the stack only if its address is never stored anywhere';
const WHY_CALLEE = 'TinyGo keeps an object on the stack only when every call it is passed to provably does not keep its address';
const WHY_DEFER = 'TinyGo heap-allocates the deferred closure\'s captured variables (and its context object); gc keeps them on the stack';
const WHY_CLOSURE = 'TinyGo gives each variable a closure captures its own heap cell (and a heap context object when it captures more than one pointer\'s worth) once the closure outlives the call';

/**
 * Methods of the I2C/SPI bus APIs (tinygo.org/x/drivers' I2C and SPI interfaces, machine's I2C and SPI, the drivers'
 * legacy.ReadRegister helper, machine's I2C target mode) whose byte-slice arguments TinyGo cannot keep on the stack:
 * they reach Tx, whose nRF implementation gives the buffer's address to EasyDMA. Not WriteRegister: machine's
 * (and legacy's) copies the data into a buffer of its own first (calibrated: TinyGo's examples/blinkm).
 */
const BUS_METHODS: ReadonlySet<string> = new Set(['Tx', 'ReadRegister', 'WaitForEvent']);

/** Interface types of the standard library and tinygo.org/x/drivers that driver code calls methods on. */
const KNOWN_INTERFACES: ReadonlySet<string> = new Set(['drivers.I2C', 'drivers.SPI', 'drivers.Displayer', 'drivers.Sensor',
  'io.Writer', 'io.Reader', 'io.ReadWriter', 'io.ReadWriteCloser', 'io.WriteCloser', 'io.ReadCloser', 'io.ByteWriter',
  'io.ByteReader', 'io.ReaderAt', 'io.WriterAt', 'net.Conn', 'net.Listener']);

/** fmt's scanning functions with the number of leading parameters that are not `...any` (they keep the pointers they fill). */
const SCAN_FUNCS: Readonly<Record<string, number>> = { Scan: 0, Scanf: 1, Scanln: 0, Sscan: 1, Sscanf: 2, Sscanln: 1, Fscan: 1, Fscanf: 2, Fscanln: 1 };

const WHY_BUS = 'an I2C/SPI transfer: through the drivers.I2C/SPI interfaces TinyGo cannot see the callee, and machine\'s ' +
  'nRF implementation hands the buffer\'s address to EasyDMA, so TinyGo cannot prove the call does not keep it';
const WHY_IFACE = 'a method called through an interface: TinyGo cannot tell which function runs, so it assumes the call keeps the pointer';
const WHY_FMT = 'an `...any` argument of fmt/log: the pointer goes into an interface that TinyGo cannot prove fmt does not keep';
const WHY_SOFTDEVICE = 'a SoftDevice call: SVCALL makes it a static function of inline assembly, so TinyGo cannot prove it keeps nothing';
const WHY_C_ASM = 'a static C function of inline assembly, so TinyGo cannot prove it keeps nothing';

function short(n: Node): string {
  if (n.type === 'composite_literal') return `${norm(n.childForFieldName('type')?.text ?? '')}{…}`;
  if (n.type === 'unary_expression' && n.childForFieldName('operand')?.type === 'composite_literal') {
    return '&' + short(n.childForFieldName('operand') as Node);
  }
  if (n.type === 'func_literal') return 'func literal';
  const t = n.text.replace(/\s+/g, ' ');
  return t.length <= 40 ? t : t.slice(0, 37) + '…';
}

function describeSink(s: Sink): string {
  switch (s.kind) {
    case 'return': return 'it is returned';
    case 'send': return 'it is sent on a channel';
    case 'global': return `it is stored in the package-level variable \`${s.name}\``;
    case 'heap': return `it is stored in \`${s.target}\`, which may be on the heap`;
    case 'goroutine': return 'it is passed to a goroutine, which outlives the call';
    case 'captured': return 'it is captured by a closure started with `go`, which outlives the call';
    case 'append': return 'it is appended to a slice, whose backing array is on the heap';
    case 'appendTo': return `it is the slice \`${s.callee}\` appends to, which hands its backing array back as the result (in place while the capacity lasts)`;
    case 'callee': return `it is passed to \`${s.callee}\`, which may keep it (${s.why})`;
    case 'alias': return `it is kept in \`${s.decl.name}\``;
  }
}

function whySink(s: Sink): string {
  return s.kind === 'return' || s.kind === 'appendTo' ? WHY_RETURN : s.kind === 'callee' ? WHY_CALLEE : WHY_STORE;
}

function inRange(n: Node): boolean {
  return n.parent?.type === 'range_clause' && n.parent.childForFieldName('right')?.id === n.id;
}

/** `_ = e` (also `_, _ = e, f`): the value is never used, so converting it allocates nothing. */
function discarded(e: Node): boolean {
  let cur = e;
  while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
  const list = cur.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || stmt?.type !== 'assignment_statement' || stmt.childForFieldName('right')?.id !== list.id) return false;
  const i = list.namedChildren.findIndex((c) => c?.id === cur.id);
  const left = stmt.childForFieldName('left')?.namedChildren ?? [];
  return left.length === list.namedChildren.length && left[i]?.text === '_';
}

function headerRange(fn: Node): Range {
  const body = fn.childForFieldName('body');
  const r = nodeRange(fn);
  if (!body) return r;
  const b = nodeRange(body);
  return { start: r.start, end: b.start.line === r.start.line ? b.start : { line: r.start.line, character: r.start.character + 4 } };
}

/** The analysis; the methods the kinds of allocCandidates.ts name as their `judge` are public for that table. */
export class AllocAnalysis {
  readonly out = new Map<AllocRuleId, AllocFinding[]>();
  private readonly seen = new Set<string>();
  private readonly r: Resolver;
  private readonly maxStack: number;
  private readonly ptr: number;
  /** Allocation sites held in local variables, by the declaration of the variable. */
  private readonly aliases = new Map<LocalDecl, { site: Node; what: string; closure: boolean }[]>();
  /** The declaration's text and its offset in the file: names and operators are read from it, not from the tree. */
  private src = '';
  private base = 0;

  constructor(private readonly decl: Node, private readonly ctx: RuleContext) {
    this.r = new Resolver(ctx.file, ctx.target.pointerSize);
    this.maxStack = ctx.target.maxStackAlloc;
    this.ptr = ctx.target.pointerSize;
  }

  private add(rule: AllocRuleId, at: Node | Range, message: string, fixes?: Fix[], node?: Node): void {
    // Nothing inside or around broken syntax: a node containing an error is not what the user will have written.
    // (The engine drops findings inside error regions; a Range finding is checked here.)
    if ('startPosition' in at ? at.hasError : node && (node.hasError || inErrorRegion(node))) return;
    const r = 'startPosition' in at ? nodeRange(at) : at;
    const k = `${rule}:${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    let list = this.out.get(rule);
    if (!list) { list = []; this.out.set(rule, list); }
    list.push({ at, message, fixes });
  }

  run(): this {
    const d = this.decl;
    if (d.type === 'import_declaration' || d.type === 'type_declaration') return this;
    // The functions to scan: a function's whole declaration, or the outermost func literals of a package-level one.
    const roots: Node[] = [];
    const text = d.text;
    this.src = text;
    this.base = d.startIndex;
    this.r.setSource(text, this.base);
    if (d.type === 'function_declaration' || d.type === 'method_declaration') {
      const body = d.childForFieldName('body');
      if (!body || !allocPrefilter(text.slice(body.startIndex - this.base))) return this;
      this.r.registerFunction(d);
      roots.push(d);
    } else {
      // Package-level declarations (often huge tables): only the bodies of their func literals run at call time.
      if (!/\bfunc\b/.test(text)) return this; // no func literal: nothing runs at call time
      let outer: Node | undefined;
      for (const fn of d.descendantsOfType('func_literal')) {
        if (!fn || (outer && fn.startIndex < outer.endIndex)) continue;
        outer = fn;
        roots.push(fn);
      }
    }
    // Candidates and local declarations of each root, in document order; functions registered before any lookup.
    const work: Cand[] = [];
    const decls: { node: Node; type: string; off: number }[] = [];
    for (const root of roots) {
      if (root !== d) this.r.registerFunction(root);
      const s = scan(new Scan(root, text.slice(root.startIndex - this.base, root.endIndex - this.base), root.startIndex, root === d, this.ctx.file));
      for (const v of s.shortVars) this.r.addShortVar(root, v.at, v.names);
      for (const at of s.loops) this.pendingLoops.push({ root, at });
      for (const f of s.functions) this.r.registerFunction(f);
      for (const f of s.sorted()) {
        if (typeof f.kind === 'string') decls.push({ node: f.node, type: f.kind, off: f.node.startIndex - this.base });
        else work.push({ kind: f.kind, node: f.node });
      }
    }
    this.r.addDecls(decls);
    for (const c of work) {
      const n = c.node;
      // Package-level initialisers run once (TinyGo's interp evaluates most at compile time): only function bodies.
      const fn = this.r.enclosingFunction(n);
      if (!fn && !c.kind.outsideFunctions) continue;
      if (fn?.type === 'func_literal' && this.inPoolNew(fn)) continue;
      c.kind.judge(this, n);
    }
    // Allocation sites kept in locals: do those locals escape later?
    if (this.aliases.size > 0) {
      const fns = new Map<number, Node>();
      for (const d of this.aliases.keys()) { const o = this.r.outermostFunction(d.node); if (o) fns.set(o.id, o); }
      const names = new Set<string>();
      for (const d of this.aliases.keys()) names.add(d.name);
      for (const fn of fns.values()) for (const id of this.sinkIdentifiers(fn, names)) this.aliasSink(id);
      // A local captured by a closure started with `go`: what it holds is shared with the goroutine.
      if (this.ctx.target.scheduler !== 'none') {
        for (const g of this.goClosures(work)) {
          for (const d of this.capturedDecls(g)) for (const s of this.aliases.get(d) ?? []) this.report(s.site, s.what, { kind: 'captured' }, s.closure, d.name);
        }
      }
    }
    return this;
  }

  /**
   * Identifiers named in `names`, in document order inside `fn`, in a position where a pointer or closure held in a
   * local variable escapes: `return x`, `ch <- x`, `... = x`, `T{x}`, `go f(x)`, `append(s, x)`. Found by their text,
   * then checked in the tree (occurrences in strings, comments or field names are not identifiers).
   */
  private sinkIdentifiers(fn: Node, names: ReadonlySet<string>): Node[] {
    const out: Node[] = [];
    const from = fn.startIndex - this.base;
    const text = this.src.slice(from, fn.endIndex - this.base);
    for (const m of wordsNamed(text, names)) {
      const at = fn.startIndex + m.index;
      const id = fn.descendantForIndex(at, at + m.name.length);
      if (!id || id.startIndex !== at || id.type !== 'identifier') continue;
      if (this.inSinkPosition(id)) out.push(id);
    }
    return out;
  }

  private inSinkPosition(id: Node): boolean {
    const p = id.parent;
    if (!p) return false;
    switch (p.type) {
      case 'expression_list': {
        const pp = p.parent;
        return pp?.type === 'return_statement' || (pp?.type === 'assignment_statement' && pp.childForFieldName('right')?.id === p.id);
      }
      case 'send_statement': return p.childForFieldName('value')?.id === id.id;
      case 'literal_element': return true;
      case 'argument_list': {
        const call = p.parent;
        if (call?.type !== 'call_expression') return false;
        if (call.parent?.type === 'go_statement') return true;
        const f = call.childForFieldName('function');
        if (this.isPointerConversion(f)) return this.inSinkPosition(call);
        return (f?.type === 'identifier' && f.text === 'append') || !!this.appendDestination(call, p, id) || !!this.capturingCall(call, p, id);
      }
      // `buf[:n]` is the same backing array as `buf`.
      case 'slice_expression': return p.childForFieldName('operand')?.id === id.id && this.inSinkPosition(p);
      // `&v` where the local v holds the pointer: whatever keeps v's address can reach what v holds, and once v's
      // address is taken the compiler can no longer split v into registers, so the store into v stays.
      case 'unary_expression': return this.src.charCodeAt(p.startIndex - this.base) === 0x26 /* & */ && this.inSinkPosition(p);
      default: return false;
    }
  }

  /** Func literals started by `go func(){...}()`, from the go statements among the candidates. */
  private goClosures(work: readonly Cand[]): Node[] {
    const out: Node[] = [];
    for (const c of work) {
      if (c.node.type !== 'go_statement') continue;
      const fn = c.node.namedChildren[0]?.childForFieldName('function');
      if (fn?.type === 'func_literal') out.push(fn);
    }
    return out;
  }

  /**
   * Inside the `New` function of a sync.Pool (`sync.Pool{New: func() any {...}}`, `p.New = func...`): allocating
   * there is the point of the pool, so the alloc hints stay silent.
   */
  private inPoolNew(inner: Node): boolean {
    let v = this.poolNew.get(inner.id);
    if (v === undefined) { v = this.inPoolNewUncached(inner); this.poolNew.set(inner.id, v); }
    return v;
  }

  private readonly poolNew = new Map<number, boolean>();

  private inPoolNewUncached(inner: Node): boolean {
    for (let fn: Node | null = inner; fn; fn = this.r.enclosingFunction(fn)) {
      if (fn.type !== 'func_literal') return false;
      const el = fn.parent;
      const keyed = el?.type === 'literal_element' ? el.parent : null;
      if (keyed?.type === 'keyed_element' && keyed.childForFieldName('key')?.text === 'New') return true;
      const list = fn.parent;
      const stmt = list?.type === 'expression_list' ? list.parent : null;
      if (stmt?.type === 'assignment_statement' && /\.New$/.test(stmt.childForFieldName('left')?.text ?? '')) return true;
    }
    return false;
  }

  // ---- where does a value go? ----------------------------------------------------------------------------------

  private sinkOf(e: Node): Sink | undefined {
    let cur = e;
    for (let guard = 0; guard < 64; guard++) {
      const p = cur.parent;
      if (!p) return undefined;
      switch (p.type) {
        case 'parenthesized_expression': case 'literal_element': case 'literal_value': case 'composite_literal':
          cur = p; continue;
        case 'keyed_element':
          // The key is the first child (unless a comment comes first): decided by offsets, through the tree only then.
          if ((cur.startIndex === p.startIndex || this.commentAt(p)) && p.childForFieldName('key')?.id === cur.id) return undefined;
          cur = p; continue;
        case 'unary_expression': {
          const c = this.src.charCodeAt(p.startIndex - this.base);
          if (c !== 0x26 /* & */ && (c !== 0x2f /* / */ || p.childForFieldName('operator')?.text !== '&')) return undefined;
          cur = p; continue;
        }
        case 'send_statement':
          return p.childForFieldName('value')?.id === cur.id ? { kind: 'send' } : undefined;
        case 'slice_expression':
          // `s[i:j]` shares the backing array of `s` (and slicing an array takes its address).
          if (p.childForFieldName('operand')?.id !== cur.id) return undefined;
          cur = p; continue;
        case 'expression_list': {
          const pp = p.parent;
          if (!pp) return undefined;
          const i = p.namedChildren.findIndex((c) => c?.id === cur.id);
          if (pp.type === 'return_statement') return { kind: 'return' };
          if (pp.type === 'assignment_statement' || pp.type === 'short_var_declaration') {
            if (pp.childForFieldName('right')?.id !== p.id) return undefined;
            const left = pp.childForFieldName('left')?.namedChildren ?? [];
            if (left.length !== p.namedChildren.length) return undefined;
            const target = left[i];
            return target ? this.targetSink(target, pp.endIndex) : undefined;
          }
          if (pp.type === 'var_spec') {
            const names = pp.childrenForFieldName('name');
            const name = names.length === p.namedChildren.length ? names[i] : undefined;
            const d = name ? this.r.lookup(name.text, name, pp.endIndex) : undefined;
            return d ? { kind: 'alias', decl: d } : undefined;
          }
          return undefined;
        }
        case 'argument_list': {
          const call = p.parent;
          if (!call || call.type !== 'call_expression') return undefined;
          if (call.parent?.type === 'go_statement') return { kind: 'goroutine' };
          const fn = call.childForFieldName('function');
          if (fn?.type === 'identifier' && fn.text === 'append' && !this.r.lookup('append', fn) && p.namedChildren[0]?.id !== cur.id) {
            return { kind: 'append' };
          }
          const dest = this.appendDestination(call, p, cur);
          if (dest) return { kind: 'appendTo', callee: dest };
          // A pointer conversion (`unsafe.Pointer(&x)`, `(*C.T)(p)`) is the same pointer.
          if (this.isPointerConversion(fn)) { cur = call; continue; }
          // Passed to a function: kept only if the callee captures it, which syntax tells only for the calls of
          // capturingCall (interface methods, bus transfers, fmt's ...any, C functions TinyGo cannot see through).
          return this.capturingCall(call, p, cur);
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  /**
   * The callee's name when `arg` is the slice an append call extends and hands back: the first argument of the
   * builtin `append`, or of a function or method named `Append…` whose result is used (Go's convention: strconv.AppendInt,
   * fmt.Append, utf8.AppendRune, binary.BigEndian.AppendUint16, AppendText: append to the first argument, return the
   * result). TinyGo heap-allocates that backing array even when its capacity suffices: runtime.sliceAppend (and
   * the callee) may return it, and TinyGo does not follow returns (checked with tinygo 0.39.0 for nRF52).
   */
  private appendDestination(call: Node, args: Node, arg: Node): string | undefined {
    if (args.namedChildren.find((c) => c?.type !== 'comment')?.id !== arg.id) return undefined;
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') return fn.text === 'append' && !this.r.lookup('append', fn) ? 'append' : undefined;
    if (fn?.type !== 'selector_expression') return undefined;
    const name = fn.childForFieldName('field')?.text ?? '';
    if (!/^Append(?![a-z0-9_])/.test(name)) return undefined;
    // `list.Append(x)` as a statement is a container's method, not the append convention.
    let up: Node | null = call.parent;
    while (up?.type === 'parenthesized_expression') up = up.parent;
    return up?.type === 'expression_statement' ? undefined : short(fn);
  }

  /** `unsafe.Pointer` or a parenthesised pointer type (`(*T)`, `(*C.T)`) in the function position: a conversion. */
  private isPointerConversion(fn: Node | null): boolean {
    if (!fn) return false;
    if (fn.type === 'selector_expression') {
      const recv = fn.childForFieldName('operand');
      return recv?.type === 'identifier' && fn.childForFieldName('field')?.text === 'Pointer' && !this.r.lookup(recv.text, recv) &&
        this.ctx.file.importByLocal.get(recv.text) === 'unsafe';
    }
    if (fn.type !== 'parenthesized_expression') return false;
    const star = fn.namedChildren[0];
    if (star?.type !== 'unary_expression' || this.src.charCodeAt(star.startIndex - this.base) !== 0x2a /* * */) return false;
    const t = star.childForFieldName('operand');
    // `(*fp)(x)` calls through a local function pointer: no conversion.
    return t?.type === 'selector_expression' || (t?.type === 'identifier' && !this.r.lookup(t.text, t));
  }

  /**
   * Whether the call keeps the pointer passed as `arg` (an element of `args`), as far as TinyGo can prove: a bus
   * transfer (BUS_METHODS), a method called on a value of an interface type, or the `...any` part of a fmt/log call.
   */
  private capturingCall(call: Node, args: Node, arg: Node): Sink | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'selector_expression') return undefined;
    const recv = fn.childForFieldName('operand');
    const field = fn.childForFieldName('field')?.text ?? '';
    if (!recv) return undefined;
    const callee = short(fn);
    if (BUS_METHODS.has(field)) return { kind: 'callee', callee, why: WHY_BUS };
    const pkg = recv.type === 'identifier' && !this.r.lookup(recv.text, recv) ? this.ctx.file.importByLocal.get(recv.text) : undefined;
    if (pkg === 'C') {
      const keep = cgoCallKeeps(this.ctx.file.cgoPreamble, field);
      return keep ? { kind: 'callee', callee, why: keep === 'softdevice' ? WHY_SOFTDEVICE : WHY_C_ASM } : undefined;
    }
    if (pkg) {
      const skip = pkg === 'fmt' ? BOXING_FUNCS.fmt?.[field] ?? SCAN_FUNCS[field] : pkg === 'log' ? BOXING_FUNCS.log?.[field] : undefined;
      if (skip === undefined) return undefined;
      const i = args.namedChildren.findIndex((c) => c?.id === arg.id);
      return i >= skip ? { kind: 'callee', callee, why: WHY_FMT } : undefined;
    }
    const t = this.r.typeOf(recv);
    return t && this.isInterfaceType(t.text) ? { kind: 'callee', callee, why: WHY_IFACE } : undefined;
  }

  private isInterfaceType(text: string): boolean {
    return (isInterfaceText(text) && text !== 'error') || KNOWN_INTERFACES.has(text) || this.ctx.file.types.typeKinds.get(text) === 'interface';
  }

  /** What storing into `target` (the left side of an assignment) means for the stored pointer. */
  private targetSink(target: Node, atIndex = target.startIndex): Sink | undefined {
    if (target.type === 'identifier') {
      if (target.text === '_') return undefined;
      const d = this.r.lookup(target.text, target, atIndex);
      if (d) return { kind: 'alias', decl: d };
      if (this.ctx.file.packageVars.has(target.text)) return { kind: 'global', name: target.text };
      return undefined;
    }
    // x.f = v, x[i] = v, *p = v: find the base variable.
    let base: Node | null = target;
    let deref = false;
    while (base && base.type !== 'identifier') {
      if (base.type === 'selector_expression' || base.type === 'index_expression') base = base.childForFieldName('operand');
      else if (base.type === 'parenthesized_expression') base = base.namedChildren[0] ?? null;
      else if (base.type === 'unary_expression' && base.childForFieldName('operator')?.text === '*') { deref = true; base = base.childForFieldName('operand'); }
      else return undefined;
    }
    if (!base) return undefined;
    const d = this.r.lookup(base.text, base);
    if (d && !deref && this.isValueAggregate(d)) return { kind: 'alias', decl: d };
    if (!d && this.ctx.file.packageVars.has(base.text) && !deref && target.type === 'selector_expression') {
      return { kind: 'global', name: base.text };
    }
    return { kind: 'heap', target: short(target) };
  }

  /** A local struct or array value (not a pointer, slice or map): storing into it stores into the local itself. */
  private isValueAggregate(d: LocalDecl): boolean {
    if (d.kind !== 'var' && d.kind !== 'param') return false;
    const t = d.type ? d.type : d.value?.type === 'composite_literal' ? d.value.childForFieldName('type') : null;
    if (!t) return false;
    return t.type === 'array_type' || t.type === 'struct_type' ||
      ((t.type === 'type_identifier' || t.type === 'qualified_type') && d.kind === 'var');
  }

  private report(site: Node, what: string, sink: Sink, closure: boolean, via?: string): void {
    if (sink.kind === 'alias') {
      let list = this.aliases.get(sink.decl);
      if (!list) { list = []; this.aliases.set(sink.decl, list); }
      list.push({ site, what, closure });
      return;
    }
    // "it is returned", or "it is kept in `t`, which is returned".
    const where = via ? `it is kept in \`${via}\`, which ${describeSink(sink).replace(/^it /, '')}` : describeSink(sink);
    if (closure) this.closureFinding(site, where);
    else this.add(ALLOC_IDS.escape, site, `\`${what}\` may allocate on the heap: ${where}, and ${whySink(sink)}.`);
  }

  private aliasSink(id: Node): void {
    const d = this.r.lookup(id.text, id);
    if (!d) return;
    const sites = this.aliases.get(d);
    if (!sites) return;
    const sink = this.sinkOf(id);
    if (!sink || sink.kind === 'alias') return;
    for (const s of sites) this.report(s.site, s.what, sink, s.closure, d.name);
  }

  // ---- alloc-escape --------------------------------------------------------------------------------------------

  address(n: Node): void {
    const operand = n.childForFieldName('operand');
    if (!operand) return;
    if (operand.type === 'composite_literal') {
      if (this.tooLarge(operand.childForFieldName('type'))) return; // reported as a large object instead
    } else if (operand.type === 'identifier') {
      const d = this.r.lookup(operand.text, operand);
      if (!d || d.kind === 'const') return; // package-level variables are not allocated by taking their address
    } else if (operand.type === 'selector_expression' || operand.type === 'index_expression') {
      let base: Node | null = operand;
      while (base && (base.type === 'selector_expression' || base.type === 'index_expression')) base = base.childForFieldName('operand');
      const d = base?.type === 'identifier' ? this.r.lookup(base.text, base) : undefined;
      if (!d || !this.isValueAggregate(d)) return;
    } else {
      return;
    }
    const sink = this.sinkOf(n);
    if (sink) this.report(n, short(n), sink, false);
  }

  private tooLarge(type: Node | null): boolean {
    if (!type) return false;
    const size = this.r.sizeOfTypeNode(type, 0);
    return size !== undefined && size > this.maxStack;
  }

  // ---- builtins: make, new, append, string(...), any(...) -----------------------------------------------------

  builtinCall(n: Node): void {
    const fn = n.childForFieldName('function');
    if (!fn || this.r.lookup(fn.text, fn)) return; // shadowed builtin
    const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    switch (fn.text) {
      case 'make': this.make(n, args); break;
      case 'new': this.newCall(n, args); break;
      case 'append': this.append(n, args); break;
      case 'string': this.stringConversion(n, args[0]); break;
      case 'any': if (args.length === 1 && args[0] && !discarded(n)) this.box(args[0], 'converting it to `any`'); break;
    }
  }

  private make(n: Node, args: Node[]): void {
    const t = args[0];
    if (!t) return;
    if (t.type === 'map_type') {
      this.add(ALLOC_IDS.map, n, `\`${short(n)}\` allocates a map on the heap: TinyGo's hashmap and its buckets are always heap objects.`);
      return;
    }
    if (t.type === 'channel_type' || args.length < 2) return;
    const sizes = args.slice(1);
    const nonConst = sizes.find((a) => !this.r.isConst(a) && !this.fixedValue(a));
    if (nonConst) {
      this.add(ALLOC_IDS.makeNonConst, n, `\`${short(n)}\` may allocate on the heap: its size \`${short(nonConst)}\` is not a constant, ` +
        'and TinyGo moves only constant-size allocations to the stack ("size is not constant").');
      return;
    }
    if (t.type !== 'slice_type') return;
    const count = Math.max(...sizes.map((a) => this.r.constValue(a) ?? 0));
    const el = t.childForFieldName('element');
    const elSize = el ? this.r.sizeOfTypeNode(el, 0) : undefined;
    if (elSize !== undefined && count * elSize > this.maxStack) { this.largeFinding(n, short(n), count * elSize); return; }
    // A constant size that fits: on the stack unless the backing array escapes. Size 0 is runtime.zeroSizedAlloc.
    if (count === 0 || elSize === 0) return;
    this.escapingSlice(n);
  }

  /**
   * An expression of constants and of locals initialised from such expressions and never assigned again, nor their
   * address taken (`l := 5; make([]int, l-2, l)`): the compiler's SSA form sees a constant there, so TinyGo's
   * allocator gets a constant size. Read from the function's text: an assignment inside a string or comment only
   * makes it answer false, as for a real one.
   */
  private fixedValue(n: Node | null, depth = 0): boolean {
    if (!n || depth > 8) return false;
    if (this.r.isConst(n)) return true;
    switch (n.type) {
      case 'parenthesized_expression': return this.fixedValue(n.namedChildren[0] ?? null, depth + 1);
      case 'binary_expression': return this.fixedValue(n.childForFieldName('left'), depth + 1) && this.fixedValue(n.childForFieldName('right'), depth + 1);
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.text;
        return (op === '-' || op === '+') && this.fixedValue(n.childForFieldName('operand'), depth + 1);
      }
      case 'identifier': {
        const d = this.r.lookup(n.text, n);
        if (!d || d.kind !== 'var' || !d.value || !this.fixedValue(d.value, depth + 1)) return false;
        const fn = this.r.outermostFunction(d.node);
        if (!fn) return false;
        const name = d.name.replace(/[$]/g, '\\$');
        const text = this.src.slice(d.start - this.base, fn.endIndex - this.base);
        return !new RegExp(`&\\s*${name}\\b|(?<![\\w.])${name}\\s*(?:[-+*/%&|^]|<<|>>|&\\^)?=(?!=)|(?<![\\w.])${name}\\s*(?:\\+\\+|--)|(?<![\\w.])${name}\\s*,[^\\n=]*:?=(?!=)`, 'u').test(text);
      }
      default: return false;
    }
  }

  /** A constant-size make or a slice literal whose backing array escapes (gc and TinyGo both allocate it). */
  private escapingSlice(n: Node): void {
    const sink = this.sinkOf(n);
    if (sink) this.report(n, short(n), sink, false);
  }

  private newCall(n: Node, args: Node[]): void {
    const t = args[0];
    if (!t) return;
    const size = this.r.sizeOfTypeNode(t, 0);
    if (size !== undefined && size > this.maxStack) { this.largeFinding(n, short(n), size); return; }
    const sink = this.sinkOf(n);
    if (sink) this.report(n, short(n), sink, false);
  }

  private largeFinding(at: Node, what: string, size: number): void {
    this.add(ALLOC_IDS.large, at, `\`${what}\` (${size} B) is allocated on the heap: it is larger than TinyGo's MaxStackAlloc ` +
      `(${this.maxStack} B for this target), so it never goes on the stack ("object size ${size} exceeds maximum stack allocation size ${this.maxStack}").`);
  }

  largeVar(spec: Node): void {
    const type = spec.childForFieldName('type');
    if (!type || type.type !== 'array_type') return;
    const size = this.r.sizeOfTypeNode(type, 0);
    if (size !== undefined && size > this.maxStack) {
      const names = spec.childrenForFieldName('name').map((x) => x?.text).join(', ');
      this.largeFinding(type, `${names} ${norm(type.text)}`, size);
      return;
    }
    if (size === 0) return;
    for (const name of spec.childrenForFieldName('name')) if (name && name.text !== '_') this.slicedArray(spec, name);
  }

  /**
   * A local array sliced (`buf[:]`, `buf[1:n]`) where the slice escapes, e.g. passed to a bus transfer: the array
   * itself moves to the heap (TinyGo reports it at the declaration). Reported once, at the declared name.
   */
  private slicedArray(spec: Node, name: Node): void {
    const fn = this.r.enclosingFunction(spec);
    if (!fn) return;
    const d = this.r.lookup(name.text, name, spec.endIndex);
    if (!d) return;
    const text = this.src.slice(spec.endIndex - this.base, fn.endIndex - this.base);
    for (const m of wordsNamed(text, new Set([name.text]))) {
      const at = spec.endIndex + m.index;
      const id = fn.descendantForIndex(at, at + name.text.length);
      if (!id || id.startIndex !== at || id.type !== 'identifier') continue;
      const p = id.parent;
      if (p?.type !== 'slice_expression' || p.childForFieldName('operand')?.id !== id.id) continue;
      if (this.r.lookup(id.text, id) !== d) continue;
      const sink = this.sinkOf(id);
      if (!sink) continue;
      this.report(name, name.text, sink, false);
      if (sink.kind !== 'alias') return;
    }
  }

  compositeLiteral(n: Node): void {
    const t = n.childForFieldName('type');
    if (!t) return;
    if (t.type === 'map_type') {
      this.add(ALLOC_IDS.map, n.childForFieldName('body') && n.startPosition.row !== n.endPosition.row ? t : n,
        `\`${short(n)}\` allocates a map on the heap: TinyGo's hashmap and its buckets are always heap objects.`);
    } else if (t.type === 'array_type') {
      const size = this.r.sizeOfTypeNode(t, 0);
      if (size !== undefined && size > this.maxStack) this.largeFinding(t, short(n), size);
    } else if (t.type === 'slice_type') {
      const body = n.childForFieldName('body');
      if (!body || body.namedChildren.every((c) => c?.type === 'comment')) return; // []T{}: no backing array
      const el = t.childForFieldName('element');
      const elSize = el ? this.r.sizeOfTypeNode(el, 0) : undefined;
      const count = body.namedChildren.filter((c) => c?.type !== 'comment').length;
      if (elSize !== undefined && count * elSize > this.maxStack) { this.largeFinding(t, short(n), count * elSize); return; }
      if (elSize === 0) return;
      this.escapingSlice(n);
    }
  }

  // ---- loops ---------------------------------------------------------------------------------------------------

  /** Loop bodies of the declaration, in document order (from the `for` keywords of the scan: no walk up a deeply nested tree). */
  private readonly loops: { loop: Node; start: number; end: number }[] = [];

  /** `for` keywords not yet looked up in the tree (in document order): looked up on the first `loopOf`. */
  private pendingLoops: { root: Node; at: number }[] = [];

  /** The innermost loop of the same function whose body contains `n`. */
  private loopOf(n: Node): Node | null {
    if (this.pendingLoops.length > 0) {
      const pending = this.pendingLoops;
      this.pendingLoops = [];
      for (const { root, at } of pending) {
        const f = root.namedDescendantForIndex(at, at + 3);
        if (f?.type !== 'for_statement' || f.startIndex !== at) continue;
        const body = f.childForFieldName('body');
        if (body?.type === 'block') this.loops.push({ loop: f, start: body.startIndex, end: body.endIndex });
      }
    }
    const fn = this.r.enclosingFunction(n);
    const fnStart = fn?.startIndex ?? -1;
    const start = n.startIndex;
    const end = n.endIndex;
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const l = this.loops[i];
      if (!l || l.start > start) continue;
      if (l.start < fnStart) return null; // the loop is outside n's function (n is in a func literal)
      if (end <= l.end) return l.loop;
    }
    return null;
  }

  /** `loop id:slice` of the appends already reported: one hint per slice and loop. */
  private readonly appendsReported = new Set<string>();

  private append(n: Node, args: Node[]): void {
    const loop = this.loopOf(n);
    if (!loop || !args[0]) return;
    const s = args[0];
    // Several appends to the same slice in one loop (`buf = append(buf, a); buf = append(buf, b)`) share one remedy,
    // preallocating it: the first is reported. (Calibrated on tinygo.org/x/bluetooth's UUID.AppendText, where TinyGo
    // kept only the calls of the first appends, after inlining gave the others a known capacity.)
    const key = `${loop.id}:${norm(s.text)}`;
    if (this.appendsReported.has(key)) return;
    this.appendsReported.add(key);
    let fixes: Fix[] | undefined;
    if (s.type === 'identifier') {
      const d = this.r.lookup(s.text, s);
      // Preallocated with a capacity (make([]T, 0, n)): appends up to n do not allocate.
      if (d?.value?.type === 'call_expression' && d.value.childForFieldName('function')?.text === 'make' &&
        (d.value.childForFieldName('arguments')?.namedChildren.length ?? 0) >= 3) return;
      if (d && this.preallocatedAfter(d)) return;
      if (d) fixes = this.preallocateFix(n, args, d, loop);
    }
    this.add(ALLOC_IDS.appendLoop, n, `\`append\` in a loop may allocate: whenever \`${short(s)}\` outgrows its capacity, ` +
      'TinyGo\'s runtime.sliceAppend allocates a larger backing array on the heap (and the old one becomes garbage); ' +
      'preallocate the capacity with make([]T, 0, n) before the loop.', fixes);
  }

  /** `var s []T` followed by `if len(xs) > 0 { s = make([]T, 0, len(xs)) }`, the shape the quick fix writes. */
  private preallocatedAfter(d: LocalDecl): boolean {
    if (d.node.type !== 'var_spec' || d.value) return false;
    const next = d.node.parent?.nextNamedSibling;
    if (next?.type !== 'if_statement') return false;
    const text = next.text.replace(/\/\/[^\n]*/g, '');
    return new RegExp(`^if\\s+len\\([^)]*\\)\\s*>\\s*0\\s*\\{\\s*${d.name}\\s*=\\s*make\\([^,]+,[^,]+,[^,]+\\)\\s*\\}$`).test(text);
  }

  /**
   * "Preallocate capacity", offered only when it cannot change behaviour: `var s []T` is the statement just before
   * `for ... range xs` (xs a local of slice, array, string or map type), and the loop body starts with an
   * unconditional `s = append(s, v...)` of at least one element, so s is non-nil after the loop exactly when xs
   * was non-empty, as before. The capacity is only a hint: the loop's results are unchanged.
   */
  private preallocateFix(call: Node, args: Node[], d: LocalDecl, loop: Node): Fix[] | undefined {
    if (args.length < 2 || args.some((a) => a.type === 'variadic_argument')) return undefined;
    const spec = d.node;
    if (spec.type !== 'var_spec' || spec.childrenForFieldName('name').length !== 1 || d.value) return undefined;
    const st = spec.childForFieldName('type');
    if (!st || st.type !== 'slice_type') return undefined;
    const varDecl = spec.parent;
    if (varDecl?.type !== 'var_declaration' || varDecl.nextNamedSibling?.id !== loop.id) return undefined;
    const clause = loop.namedChildren.find((c) => c?.type === 'range_clause');
    const over = clause?.childForFieldName('right');
    if (!over || over.type !== 'identifier') return undefined;
    const od = this.r.lookup(over.text, over);
    const ot = od ? this.r.typeOf(over) : undefined;
    if (!ot || !(ot.text === 'string' || ot.text.startsWith('[') || ot.text.startsWith('map['))) return undefined;
    const stmt = call.parent?.parent; // expression_list -> assignment_statement
    const body = loop.childForFieldName('body');
    const first = body?.namedChildren.find((c) => c?.type === 'statement_list')?.namedChildren[0];
    if (!stmt || stmt.type !== 'assignment_statement' || first?.id !== stmt.id) return undefined;
    if (stmt.childForFieldName('left')?.text !== d.name || stmt.childForFieldName('operator')?.text !== '=') return undefined;
    const lineIndent = this.indentOf(varDecl);
    if (lineIndent === undefined) return undefined;
    const end = nodeRange(varDecl).end;
    const text = `\n${lineIndent}if len(${over.text}) > 0 {\n${lineIndent}\t${d.name} = make(${norm(st.text)}, 0, len(${over.text}))\n${lineIndent}}`;
    return [{ title: `Preallocate the capacity of ${d.name} (len(${over.text}))`, edits: [{ range: { start: end, end }, newText: text }] }];
  }

  /** The whitespace before `n` when `n` starts its line (gofmt'ed code: tabs), else undefined. */
  private indentOf(n: Node): string | undefined {
    const line = this.decl.text.split('\n')[n.startPosition.row - this.decl.startPosition.row] ?? '';
    const ws = /^[ \t]*/.exec(line)?.[0] ?? '';
    const col = n.startPosition.row === this.decl.startPosition.row ? n.startPosition.column - this.decl.startPosition.column : n.startPosition.column;
    return ws.length === col ? ws : undefined;
  }

  concat(n: Node): void {
    const left = n.childForFieldName('left')?.namedChildren ?? [];
    const right = n.childForFieldName('right')?.namedChildren ?? [];
    if (left.length !== 1 || right.length !== 1 || !left[0] || !right[0]) return;
    const target = left[0];
    const op = n.childForFieldName('operator')?.text;
    const isString = (x: Node | null) => this.r.typeOf(x)?.text === 'string';
    if (op === '+=') {
      if (!isString(target) && !isString(right[0])) return;
    } else {
      // s = s + x (or x + s): the + chain must mention the target.
      const operands: Node[] = [];
      const flat = (e: Node | null) => {
        if (!e) return;
        if (e.type === 'binary_expression' && e.childForFieldName('operator')?.text === '+') { flat(e.childForFieldName('left')); flat(e.childForFieldName('right')); }
        else operands.push(e);
      };
      flat(right[0]);
      if (!operands.some((o) => o.text === target.text)) return;
      if (!isString(target) && !operands.some((o) => isString(o))) return;
    }
    if (!this.loopOf(n)) return;
    this.add(ALLOC_IDS.concatLoop, n, `string concatenation in a loop may allocate on every iteration: TinyGo's ` +
      `runtime.stringConcat copies both parts into a new heap string each time; append to a []byte and convert once ` +
      'after the loop, or use a strings.Builder: it allocates once (plus growth) instead of on every iteration, and ' +
      'b.Grow(n) before the loop preallocates it (in TinyGo the Builder itself goes on the heap too, as its methods keep its address).');
  }

  // ---- interface boxing ----------------------------------------------------------------------------------------

  pkgCall(n: Node): void {
    const fn = n.childForFieldName('function');
    const operand = fn?.childForFieldName('operand');
    const pkg = operand ? this.ctx.file.importByLocal.get(operand.text) : undefined;
    const table = pkg ? BOXING_FUNCS[pkg] : undefined;
    if (!table || !operand) return;
    const field = fn?.childForFieldName('field')?.text;
    const skip = field ? table[field] : undefined;
    if (skip === undefined || this.r.lookup(operand.text, operand)) return;
    const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    for (const a of args.slice(skip)) this.box(a, `passing it to ${operand.text}.${field}, whose parameters are \`any\`,`);
  }

  conversion(n: Node): void {
    let t = n.childForFieldName('type');
    while (t?.type === 'parenthesized_type') t = t.namedChildren[0] ?? null;
    const operand = n.childForFieldName('operand');
    if (!t || !operand) return;
    if (t.type === 'interface_type') { if (!discarded(n)) this.box(operand, 'converting it to an interface'); return; }
    if (t.type === 'slice_type') this.bytesConversion(n, t, operand);
  }

  /** Boxing `v` into an interface: TinyGo stores values up to a pointer in the interface itself, larger ones on the heap. */
  private box(v: Node, how: string): void {
    if (v.type === 'variadic_argument' || this.r.isConst(v)) return;
    const t = this.r.typeOf(v);
    if (!t || isPointerShaped(t.text) || isInterfaceText(t.text)) return; // unknown types stay silent
    let size = this.r.sizeOf(t);
    const named = this.ctx.file.types.typeKinds.get(t.text);
    let described = named && named !== 'struct' && named !== t.text
      ? `its type \`${t.text}\` (${named}) is ${size ?? '?'} bytes` : `its type \`${t.text}\` is ${size ?? '?'} bytes`;
    if (size === undefined) {
      // A named type of this file: its underlying kind.
      const kind = this.ctx.file.types.typeKinds.get(t.text);
      if (!kind || ['pointer', 'map', 'func', 'chan', 'interface'].includes(kind)) return;
      if (kind === 'struct' || kind === 'array') {
        described = `its type \`${t.text}\` is ${kind === 'struct' ? 'a struct' : 'an array'}, boxed on the heap unless it fits in a pointer`;
      } else {
        size = this.r.sizeOf({ text: kind === 'slice' ? '[]byte' : kind });
        if (size === undefined) return;
        described = `its type \`${t.text}\` (${kind}) is ${size} bytes`;
      }
    }
    if (size !== undefined && size <= this.ptr) return;
    this.add(ALLOC_IDS.box, v, `\`${short(v)}\` may allocate: ${how} boxes it, and TinyGo puts a boxed value on the heap ` +
      `when it is larger than a pointer (${this.ptr} bytes on this target); ${described}.`);
  }

  // ---- string <-> []byte ---------------------------------------------------------------------------------------

  /**
   * How a conversion result is used, or undefined when the use is read-only (no copy needed). `gcOnly`: a use gc
   * compiles without a copy but TinyGo does not (a map lookup, comparison or switch on `string(b)`: TinyGo 0.33 and
   * 0.39 still call runtime.stringFromBytes there, calibration of 2026-11).
   */
  private conversionUse(n: Node, bytes: boolean): { use: string; gcOnly?: boolean; literal?: boolean; arg?: { call: Node; args: Node; node: Node } } | undefined {
    let cur = n;
    let p = n.parent;
    while (p?.type === 'parenthesized_expression') { cur = p; p = p.parent; }
    if (!p) return { use: 'used' };
    if (inRange(cur)) return undefined;
    switch (p.type) {
      case 'binary_expression': {
        const op = p.childForFieldName('operator')?.text ?? '';
        if (['==', '!=', '<', '<=', '>', '>='].includes(op)) return bytes ? undefined : { use: 'a comparison', gcOnly: true };
        return { use: 'used in an expression' };
      }
      case 'expression_switch_statement':
        if (p.childForFieldName('value')?.id !== cur.id) return { use: 'used' };
        return bytes ? undefined : { use: 'a switch', gcOnly: true };
      case 'index_expression': {
        if (p.childForFieldName('operand')?.id === cur.id) return bytes ? undefined : { use: 'indexed' };
        // m[string(b)]: a store keeps the key; a lookup does not, but TinyGo copies the key all the same.
        const list = p.parent;
        const stmt = list?.parent;
        if (p.parent?.type === 'inc_statement' || p.parent?.type === 'dec_statement') return { use: 'used as a key that is stored in a map' };
        if (list?.type === 'expression_list' && stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.id === list.id) {
          return { use: 'used as a key that is stored in a map' };
        }
        return bytes ? undefined : { use: 'a map lookup', gcOnly: true };
      }
      case 'argument_list': {
        const call = p.parent;
        const fn = call?.childForFieldName('function');
        const name = fn?.type === 'identifier' && !this.r.lookup(fn.text, fn) ? fn.text : undefined;
        if (name === 'len' || name === 'cap') return undefined;
        if (name === 'copy' && p.namedChildren[1]?.id === cur.id) return undefined;
        return { use: `passed to \`${short(fn ?? p)}\``, ...(call?.type === 'call_expression' ? { arg: { call, args: p, node: cur } } : {}) };
      }
      case 'variadic_argument': return undefined; // append(dst, []byte(s)...) only reads it
      case 'return_statement': case 'expression_list': {
        const stmt = p.type === 'expression_list' ? p.parent : p;
        if (stmt?.type === 'return_statement') return { use: 'returned' };
        return { use: 'assigned' };
      }
      case 'send_statement': return { use: 'sent on a channel' };
      case 'literal_element': case 'keyed_element': return { use: 'stored in a composite literal', literal: true };
      default: return { use: 'used' };
    }
  }

  private bytesConversion(n: Node, t: Node, operand: Node): void {
    const el = t.childForFieldName('element')?.text;
    if (el !== 'byte' && el !== 'uint8' && el !== 'rune' && el !== 'int32') return;
    const ot = this.r.typeOf(operand);
    if (ot && ot.text !== 'string') return; // []byte(b) of a byte slice, or a named type: no copy
    const use = this.conversionUse(n, true);
    if (!use) return;
    if (use.arg && !this.capturingCall(use.arg.call, use.arg.args, use.arg.node)) {
      // TinyGo's OptimizeStringToBytes hands the callee the string's own bytes when the callee only reads them
      // (a readonly, nocapture parameter); a callee that may keep or write them (interface methods, bus transfers)
      // gets a copy. Which plain functions only read, syntax cannot tell: silent.
      return;
    }
    // In a composite literal that does not escape (`AddService(&Service{Value: []byte(name)})`), the bytes are only
    // read as well (calibrated: tinygo.org/x/bluetooth's examples); one that is returned, stored or kept needs the copy.
    if (use.literal && !this.sinkOf(n)) return;
    this.add(ALLOC_IDS.conversion, n, `\`${short(n)}\` may allocate: the result is ${use.use}, so TinyGo copies the string into ` +
      'a new heap slice (only read-only uses such as `len([]byte(s))`, `range []byte(s)` or `copy(dst, []byte(s))` reuse the string\'s bytes).');
  }

  private stringConversion(n: Node, arg: Node | undefined): void {
    if (!arg || this.r.isConst(arg)) return;
    const t = this.r.typeOf(arg);
    if (!t) return;
    const fromBytes = isByteOrRuneSlice(t.text);
    const fromRune = ['rune', 'int32', 'byte', 'uint8'].includes(t.text);
    if (!fromBytes && !fromRune) return;
    const use = this.conversionUse(n, false);
    if (!use) return;
    if (use.gcOnly) {
      if (!fromBytes) return; // string(r) compared or looked up: no calibration data, stay silent
      this.add(ALLOC_IDS.conversion, n, `\`${short(n)}\` may allocate: TinyGo copies \`${short(n)}\` even for ${use.use}; gc does not. ` +
        'TinyGo\'s runtime.stringFromBytes copies the bytes into a new heap string every time this runs; in a hot path, ' +
        'keep the data as a string, or compare the bytes in a loop.');
      return;
    }
    this.add(ALLOC_IDS.conversion, n, fromBytes
      ? `\`${short(n)}\` may allocate: the result is ${use.use}, so TinyGo copies the bytes into a new heap string ` +
        '(TinyGo copies even for a map lookup or a comparison, unlike gc).'
      : `\`${short(n)}\` may allocate: converting a rune to a string builds a new heap string in TinyGo (the result is ${use.use}).`);
  }

  // ---- goroutines and closures ---------------------------------------------------------------------------------

  goStatement(n: Node): void {
    if (this.ctx.target.scheduler === 'none') return; // a compile error, reported by the unsupported rules
    const kw = n.child(0);
    if (!kw) return;
    const loop = this.loopOf(n) ? ' (here on every loop iteration)' : '';
    this.add(ALLOC_IDS.goroutine, kw, `starting a goroutine allocates on the heap${loop}: TinyGo's ${this.ctx.target.scheduler} ` +
      'scheduler gives each goroutine its own stack, allocated when it starts, plus a heap object for the arguments of the call.');
  }

  funcLiteral(n: Node): void {
    if (!this.r.scopeOf(n)) return;
    const call = callOf(n);
    // go func(){...}(): the literal is started as a goroutine.
    if (call) {
      if (call.parent?.type === 'go_statement') this.closureFinding(n, 'it is started by `go`');
      else if (call.parent?.type === 'defer_statement') this.deferFinding(n);
      return; // called directly: does not outlive the call
    }
    const sink = this.sinkOf(n);
    if (sink) this.report(n, 'func literal', sink, true);
  }

  private closureFinding(fn: Node, why: string): void {
    const captured = this.captures(fn);
    if (captured.length === 0) return; // no context: a func value without captures is a static function
    const names = captured.slice(0, 4).map((c) => `\`${c}\``).join(', ') + (captured.length > 4 ? ', …' : '');
    this.add(ALLOC_IDS.closure, headerRange(fn), `this closure may allocate on the heap: ${why}, so it outlives the call, ` +
      `and it captures ${names}; ${WHY_CLOSURE}.`, undefined, fn);
  }

  /**
   * `defer func(){...}()` capturing locals: it does not outlive the call, but TinyGo (0.33 and 0.39 calibrated) still
   * moves the captured variables and the closure context to the heap. Without captures it is a plain function.
   */
  private deferFinding(fn: Node): void {
    const captured = this.captures(fn);
    if (captured.length === 0) return;
    const names = captured.slice(0, 4).map((c) => `\`${c}\``).join(', ') + (captured.length > 4 ? ', …' : '');
    this.add(ALLOC_IDS.closure, headerRange(fn), `this deferred closure may allocate on the heap: it captures ${names}; ${WHY_DEFER}. ` +
      'Pass the values as arguments (`defer f(x)`) or defer a method call instead.', undefined, fn);
  }

  /** Local variables of enclosing functions used inside `fn`. */
  private captures(fn: Node): string[] {
    return [...new Set([...this.capturedDecls(fn)].map((d) => d.name))];
  }

  /**
   * The identifiers used in `fn` are found by their text: only names declared in the functions around `fn` can refer
   * to something outside it, and each occurrence is then checked in the tree and resolved, in document order.
   */
  private capturedDecls(fn: Node): Set<LocalDecl> {
    const out = new Set<LocalDecl>();
    const names = this.r.namesAround(fn);
    if (names.size === 0) return out;
    const fnStart = fn.startIndex;
    const fnEnd = fn.endIndex;
    const from = fnStart - this.base;
    const src = this.src;
    const text = src.slice(from, fnEnd - this.base);
    for (const m of wordsNamed(text, names)) {
      const name = m.name;
      const at = fnStart + m.index;
      const id = fn.descendantForIndex(at, at + name.length);
      if (!id || id.startIndex !== at || id.type !== 'identifier') continue;
      // A key of a keyed element (`T{name: v}`) is not a use: it is followed by a `:` (or a comment).
      NEXT_TOKEN.lastIndex = from + m.index + name.length;
      const next = NEXT_TOKEN.exec(src)?.[0];
      if (next === ':' || next === '/') {
        const p = id.parent;
        if (p?.type === 'literal_element' && p.parent?.type === 'keyed_element' && p.parent.childForFieldName('key')?.id === p.id) continue;
      }
      const d = this.r.lookup(name, id);
      if (!d || d.kind === 'const') continue;
      if (d.scope.start < fnStart || d.scope.end > fnEnd) out.add(d);
    }
    return out;
  }

  /** Whether `n` starts with a comment (its first child), so that offsets cannot tell which child comes first. */
  private commentAt(n: Node): boolean {
    return this.src.charCodeAt(n.startIndex - this.base) === 0x2f /* / */;
  }
}

/** The allocation analysis of a declaration, shared by the alloc rules through the engine (RuleContext.shared). */
export const ALLOC_ANALYSIS: SharedAnalysis<AllocAnalysis> = {
  name: 'alloc',
  compute: (decl, ctx) => new AllocAnalysis(decl, ctx).run(),
};
