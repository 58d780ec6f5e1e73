import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../../regexp';
import type { Rule, RuleContext } from '../engine';
import type { Fix, TextEdit } from '../model';
import { enclosingFunction, FUNCTION_TYPES, nodeRange } from '../syntax';
import { identifiersNamed, poolScan, PoolScan, type Site } from './poolScan';

const TERMINATORS = new Set(['return_statement', 'goto_statement', 'break_statement', 'continue_statement']);

function isTerminator(s: Node): boolean {
  if (TERMINATORS.has(s.type)) return true;
  const call = s.type === 'expression_statement' ? s.namedChildren[0] : null;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.text === 'panic';
}

/** The statement (a child of a statement_list) that contains `n`, inside `fn`. */
function statementOf(n: Node, fn: Node): Node | null {
  for (let p: Node | null = n; p && p.id !== fn.id; p = p.parent) if (p.parent?.type === 'statement_list') return p;
  return null;
}

/** Statements that run after `stmt` in its function, in order, up to the first return/break/continue/goto/panic (no loop-back). */
function statementsAfter(stmt: Node, fn: Node): Node[] {
  const out: Node[] = [];
  for (let cur: Node | null = stmt; cur;) {
    for (let s = cur.nextNamedSibling; s; s = s.nextNamedSibling) {
      if (s.type === 'comment') continue;
      out.push(s);
      if (isTerminator(s)) return out;
    }
    let p: Node | null = cur.parent?.parent ?? null;
    while (p && !FUNCTION_TYPES.has(p.type) && p.parent?.type !== 'statement_list') p = p.parent;
    if (!p || FUNCTION_TYPES.has(p.type) || p.id === fn.id) break;
    cur = p;
  }
  return out;
}

function assignsTo(s: Node, name: string): boolean {
  if (s.type !== 'short_var_declaration' && s.type !== 'assignment_statement') return false;
  return (s.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.type === 'identifier' && n.text === name);
}

/** v and the names one assignment away from it in fn: `b := *bp`, `*bp = b`, `buf := bufPool.Get().(*T)`. */
function relatedNames(fn: Node, v: string): string[] {
  const names = new Set([v]);
  const re = new RegExp(`\\b${escapeRegExp(v)}\\b`);
  for (const s of fn.descendantsOfType(['short_var_declaration', 'assignment_statement'])) {
    if (!s) continue;
    const left = s.childForFieldName('left')?.namedChildren ?? [];
    const right = s.childForFieldName('right')?.namedChildren ?? [];
    if (right.some((r) => r && re.test(r.text))) for (const l of left) if (l?.type === 'identifier' && l.text !== '_') names.add(l.text);
    if (left.some((l) => l && l.type === 'unary_expression' && re.test(l.text))) {
      for (const r of right) { const id = PoolScan.rootIdent(r); if (id) names.add(id.text); }
    }
  }
  return [...names];
}

/** Whether `text` appends to one of the names (`append(b, …)`, `append((*bp)[:0], …)`). */
function appends(text: string, names: string): boolean {
  return new RegExp(`\\bappend\\s*\\(\\s*\\(?\\s*\\*?\\s*${names}\\b`).test(text);
}

function namesRe(names: string[]): string { return `(?:${names.map(escapeRegExp).join('|')})`; }

function putText(site: Site): string { return `${site.recv.text}.Put(${site.arg?.text ?? ''})`; }

/**
 * Where `put` is, said from `at` ("3 lines above"): relative, so the message stays true when the declaration moves
 * (findings are memoised per declaration and only their ranges are moved).
 */
function whereFrom(put: Node, at: Node): string {
  const d = at.startPosition.row - put.startPosition.row;
  return d === 0 ? 'on the same line' : d === 1 ? 'on the line above' : d > 0 ? `${d} lines above` : d === -1 ? 'on the line below' : `${-d} lines below`;
}

/** The Put's argument kind, as the staticcheck SA6002 check sees it, and whether boxing it allocates on TinyGo. */
function notPointerLike(scan: PoolScan, arg: Node, ctx: RuleContext): string | undefined {
  const k = scan.kindOf(arg);
  switch (k.kind) {
    case 'slice': return 'a slice';
    case 'string': return 'a string';
    case 'struct': return `a struct${k.type ? ` (${k.type})` : ''}`;
    case 'array': return `an array${k.type ? ` (${k.type})` : ''}`;
    case 'number': case 'bool':
      // TinyGo stores a value that fits in a pointer directly in the interface: no allocation.
      return (k.size ?? 0) > ctx.target.pointerSize ? `a ${k.size}-byte ${k.type ?? 'number'}` : undefined;
    default: return undefined;
  }
}

/**
 * `record{}`, `[4]byte{}`: a zero value is constant data, which the interface points at without allocating (gc and
 * TinyGo 0.33/0.39 calibrated).
 */
function zeroLiteral(e: Node): boolean {
  while (e.type === 'parenthesized_expression' && e.namedChildren[0]) e = e.namedChildren[0];
  if (e.type !== 'composite_literal') return false;
  const body = e.childForFieldName('body');
  return !!body && body.namedChildren.every((c) => c?.type === 'comment');
}

function indentOf(n: Node, decl: Node): string {
  const lines = decl.text.split('\n');
  const line = lines[n.startPosition.row - decl.startPosition.row] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}

/**
 * The rewrite to a pooled *[]T: `buf := p.Get().([]T)` becomes `bufp := p.Get().(*[]T)` + `buf := *bufp`, and
 * `p.Put(buf)` becomes `*bufp = buf` + `p.Put(bufp)`, so the pointer that came out of the pool goes back in (no
 * allocation; `Put(&buf)` would move buf to the heap on every call). Offered only when it is unambiguous and keeps
 * behaviour: one Get of that pool in the function, a pool without New (so no New elsewhere returns a []T), a plain
 * (not deferred) Put statement.
 */
function pointerFix(scan: PoolScan, put: Site, decl: Node): Fix | undefined {
  const arg = put.arg;
  if (!arg || put.deferred || put.pool.hasNew !== false || put.call.parent?.type !== 'expression_statement') return undefined;
  const v = arg.type === 'identifier' ? arg : arg.type === 'slice_expression' && !arg.childForFieldName('start') &&
    arg.childForFieldName('end')?.text === '0' && !arg.childForFieldName('capacity') && arg.childForFieldName('operand')?.type === 'identifier'
    ? arg.childForFieldName('operand') : null;
  if (!v) return undefined;
  const gets = scan.gets.filter((g) => g.fn.id === put.fn.id && g.pool.key === put.pool.key);
  if (gets.length !== 1) return undefined;
  const assertion = gets[0].call.parent;
  const type = assertion?.type === 'type_assertion_expression' ? assertion.childForFieldName('type') : null;
  const svd = assertion?.parent?.parent;
  if (!assertion || type?.type !== 'slice_type' || svd?.type !== 'short_var_declaration' || svd.parent?.type !== 'statement_list') return undefined;
  const left = svd.childForFieldName('left')?.namedChildren ?? [];
  const right = svd.childForFieldName('right')?.namedChildren ?? [];
  if (left.length !== 1 || right.length !== 1 || left[0]?.text !== v.text) return undefined;
  const p = `${v.text}p`;
  if (identifiersNamed(put.fn, p).length > 0) return undefined;
  const getIndent = indentOf(svd, decl);
  const putStmt = put.call.parent;
  const putIndent = indentOf(putStmt, decl);
  const edits: TextEdit[] = [
    { range: nodeRange(svd), newText: `${p} := ${gets[0].recv.text}.Get().(*${type.text})\n${getIndent}${v.text} := *${p}` },
    { range: nodeRange(putStmt), newText: `*${p} = ${arg.text}\n${putIndent}${put.recv.text}.Put(${p})` },
  ];
  return { title: `Pool a *${type.text} instead (${p} := ….Get().(*${type.text}); ….Put(${p}))`, edits, isPreferred: true };
}

export const poolPutNotPointer: Rule = {
  id: 'pool-put-not-pointer',
  family: 'pool',
  title: 'sync.Pool.Put of a value that is not pointer-like (slices, strings, structs, arrays): every Put allocates',
  defaultSeverity: 'warning',
  checkDecl(decl, ctx) {
    const scan = poolScan(ctx);
    if (!scan) return;
    for (const put of scan.puts) {
      if (!put.arg || zeroLiteral(put.arg)) continue;
      const what = notPointerLike(scan, put.arg, ctx);
      if (!what) continue;
      const fix = what === 'a slice' ? pointerFix(scan, put, decl) : undefined;
      ctx.report(put.arg, `\`${putText(put)}\` puts ${what}, which is not pointer-like: converting it to the pool's \`any\` ` +
        'allocates a copy on the heap on every Put (staticcheck SA6002), which defeats the pool. Pool a pointer instead ' +
        '(for a slice, a *[]T that came out of Get and goes back in).', fix ? { fixes: [fix] } : undefined);
    }
  },
};

export const poolCopied: Rule = {
  id: 'pool-copied',
  family: 'pool',
  title: 'sync.Pool copied by value (parameter, assignment, return, range, argument, struct holding a Pool)',
  defaultSeverity: 'warning',
  checkDecl(decl, ctx) {
    const scan = poolScan(ctx);
    if (!scan || decl.type === 'import_declaration' || !scan.mentionsPools()) return;
    const t = ctx.file.types;
    const sync = scan.syncLocal;
    const holds = (typeText: string | undefined) => !!typeText && (typeText === `${sync}.Pool` || t.poolStructs.has(typeText));
    const valueType = (e: Node | null): string | undefined => {
      if (!e) return undefined;
      if (e.type === 'parenthesized_expression') return valueType(e.namedChildren[0]);
      if (e.type === 'composite_literal' || e.type === 'call_expression') return undefined;
      if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '*') {
        const inner = e.childForFieldName('operand');
        const p = inner && scan.poolOf(inner);
        if (p && !p.byValue) return `${sync}.Pool`;
        const it = inner?.type === 'identifier' ? identType(inner) : undefined;
        return it?.startsWith('*') && holds(it.slice(1)) ? it.slice(1) : undefined;
      }
      if (e.type === 'identifier') {
        const p = scan.poolOf(e);
        if (p) return p.byValue ? `${sync}.Pool` : undefined;
        const it = identType(e);
        return holds(it) ? it : undefined;
      }
      if (e.type === 'selector_expression') {
        const p = scan.poolOf(e);
        return p?.byValue ? `${sync}.Pool` : undefined;
      }
      return undefined;
    };
    const identType = (id: Node): string | undefined => {
      const d = scan.lookup(id);
      if (d) {
        if (d.type) return d.type.text.replace(/\s+/g, '');
        if (d.value?.type === 'identifier' && d.value.text !== id.text) return identType(d.value);
        if (d.value?.type === 'composite_literal') return d.value.childForFieldName('type')?.text.replace(/\s+/g, '');
        if (d.value?.type === 'unary_expression' && d.value.childForFieldName('operator')?.text === '&' &&
          d.value.childForFieldName('operand')?.type === 'composite_literal') {
          const tt = d.value.childForFieldName('operand')?.childForFieldName('type')?.text.replace(/\s+/g, '');
          return tt ? `*${tt}` : undefined;
        }
        return undefined;
      }
      return ctx.file.types.varTypes.get(id.text);
    };
    const what = (ty: string) => (ty === `${sync}.Pool` ? 'a sync.Pool' : `a ${ty}, which holds a sync.Pool,`);
    const tail = ': a Pool must not be copied after first use (`go vet` copylocks: "contains sync.noCopy"); the copy keeps its ' +
      'items apart from the original, so the pool stops pooling. Use a *sync.Pool (or a pointer to the struct).';
    for (const n of decl.descendantsOfType(['parameter_declaration', 'short_var_declaration', 'assignment_statement', 'var_spec',
      'return_statement', 'range_clause', 'argument_list'])) {
      if (!n) continue;
      switch (n.type) {
        case 'parameter_declaration': {
          const list = n.parent;
          const owner = list?.parent;
          if (!owner || !FUNCTION_TYPES.has(owner.type)) break;
          if (owner.childForFieldName('result')?.id === list.id) break;
          const ty = n.childForFieldName('type')?.text.replace(/\s+/g, '');
          if (!holds(ty) || !ty) break;
          const isRecv = owner.childForFieldName('receiver')?.id === list.id;
          ctx.report(n, `${isRecv ? 'This receiver' : 'This parameter'} passes ${what(ty)} by value${tail}`);
          break;
        }
        case 'short_var_declaration': case 'assignment_statement': case 'var_spec': {
          const right = (n.type === 'var_spec' ? n.childForFieldName('value') : n.childForFieldName('right'))?.namedChildren ?? [];
          const left = n.type === 'var_spec' ? n.childrenForFieldName('name') : n.childForFieldName('left')?.namedChildren ?? [];
          if (left.length !== right.length) break;
          for (const r of right) {
            const ty = valueType(r);
            if (ty && r) ctx.report(r, `This assignment copies ${what(ty)} by value${tail}`);
          }
          break;
        }
        case 'return_statement':
          for (const r of n.namedChildren[0]?.namedChildren ?? []) {
            const ty = valueType(r);
            if (ty && r) ctx.report(r, `This return copies ${what(ty)} by value${tail}`);
          }
          break;
        case 'range_clause': {
          const left = n.childForFieldName('left')?.namedChildren ?? [];
          const val = left[1];
          if (!val || val.text === '_') break;
          const op = n.childForFieldName('right');
          const ot = op?.type === 'identifier' ? identType(op) : undefined;
          const elem = ot ? /^\*?\[[^\]]*\](.+)$/.exec(ot)?.[1] : undefined;
          if (elem && holds(elem)) ctx.report(val, `The range value copies ${what(elem)} on each iteration${tail} Range over the index: \`for i := range …\` and use \`&s[i]\`.`);
          break;
        }
        case 'argument_list': {
          const callee = n.parent?.childForFieldName('function');
          if (callee?.type === 'identifier' && (callee.text === 'len' || callee.text === 'cap')) break;
          for (const a of n.namedChildren) {
            const ty = valueType(a);
            if (ty && a) ctx.report(a, `This call passes ${what(ty)} by value${tail}`);
          }
          break;
        }
        default: break;
      }
    }
  },
};

function isCommaOk(assertion: Node): boolean {
  const list = assertion.parent;
  if (list?.type !== 'expression_list') return false;
  const stmt = list.parent;
  if (!stmt) return false;
  if (stmt.type === 'var_spec') return stmt.childrenForFieldName('name').length === 2 && list.namedChildCount === 1;
  if (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') return false;
  return (stmt.childForFieldName('left')?.namedChildCount ?? 0) === 2 && list.namedChildCount === 1;
}

export const poolGetNoNew: Rule = {
  id: 'pool-get-no-new',
  family: 'pool',
  title: 'unchecked type assertion on Get() of a pool without New (Get returns nil when empty: the assertion panics)',
  defaultSeverity: 'warning',
  checkDecl(_decl, ctx) {
    const scan = poolScan(ctx);
    if (!scan) return;
    for (const get of scan.gets) {
      if (get.pool.hasNew !== false) continue;
      const a = get.call.parent;
      if (a?.type !== 'type_assertion_expression' || a.childForFieldName('operand')?.id !== get.call.id || isCommaOk(a)) continue;
      const ty = a.childForFieldName('type')?.text ?? 'T';
      ctx.report(a, `\`${get.pool.key}\` has no New, so \`${get.recv.text}.Get()\` returns nil whenever the pool is empty (always, at ` +
        `first) and the assertion \`.(${ty})\` panics. Set New in the pool's declaration, or use \`v, ok := ${get.recv.text}.Get().(${ty})\` ` +
        'and allocate when !ok.');
    }
  },
};

/** Bare v, v[a:b], &v, v.Bytes(), v.Bytes()[a:b]: expressions that keep the pooled memory alive. */
function aliases(e: Node | null, v: string): boolean {
  if (!e) return false;
  switch (e.type) {
    case 'identifier': return e.text === v;
    case 'parenthesized_expression': return aliases(e.namedChildren[0], v);
    case 'slice_expression': return aliases(e.childForFieldName('operand'), v);
    case 'unary_expression': return e.childForFieldName('operator')?.text === '&' && aliases(e.childForFieldName('operand'), v);
    case 'call_expression': {
      const f = e.childForFieldName('function');
      return f?.type === 'selector_expression' && ['Bytes', 'AvailableBuffer'].includes(f.childForFieldName('field')?.text ?? '') &&
        PoolScan.rootIdent(f.childForFieldName('operand'))?.text === v;
    }
    default: return false;
  }
}

export const poolUseAfterPut: Rule = {
  id: 'pool-use-after-put',
  family: 'pool',
  title: 'a value (or memory it owns) used after it was put back in the pool, including returning buf.Bytes() after defer Put',
  defaultSeverity: 'warning',
  checkDecl(_decl, ctx) {
    const scan = poolScan(ctx);
    if (!scan) return;
    for (const put of scan.puts) {
      const v = PoolScan.rootIdent(put.arg);
      if (!v) continue;
      if (put.deferred) {
        for (const ret of put.fn.descendantsOfType('return_statement')) {
          if (!ret || enclosingFunction(ret)?.id !== put.fn.id) continue;
          for (const r of ret.namedChildren[0]?.namedChildren ?? []) {
            if (!r || !aliases(r, v.text)) continue;
            ctx.report(r, `\`${r.text}\` is returned, but the deferred \`${putText(put)}\` (${whereFrom(put.call, r)}) hands \`${v.text}\` back to ` +
              'the pool as the function returns: the next Get reuses the memory the caller is still reading. Copy it out first ' +
              `(e.g. \`bytes.Clone(${v.text}.Bytes())\` or \`${v.text}.String()\`), or Put only after the caller is done.`);
          }
        }
        continue;
      }
      const stmt = statementOf(put.call, put.fn);
      if (!stmt) continue;
      const re = new RegExp(`\\b${escapeRegExp(v.text)}\\b`);
      let reported = false;
      for (const s of statementsAfter(stmt, put.fn)) {
        if (reported || !re.test(s.text)) { if (assignsTo(s, v.text)) break; continue; }
        const reassigned = assignsTo(s, v.text);
        const scope = reassigned ? s.childForFieldName('right') : s;
        const use = scope ? identifiersNamed(scope, v.text)[0] : undefined;
        if (use) {
          ctx.report(use, `\`${v.text}\` is used after \`${putText(put)}\` (${whereFrom(put.call, use)}): once put back, it may already be handed ` +
            'to another Get (another goroutine), so this reads or writes memory the pool no longer reserves for you. Use it before Put.');
          reported = true;
        }
        if (reassigned) break;
      }
    }
  },
};

const RESET_STD = new Set(['bytes.Buffer', 'strings.Builder', 'bufio.Writer', 'bufio.Reader', 'bytes.Reader', 'strings.Reader']);

function stdName(typeText: string | undefined, ctx: RuleContext): string | undefined {
  const m = typeText ? /^\*?(\w+)\.(\w+)$/.exec(typeText) : null;
  if (!m) return undefined;
  const path = ctx.file.importByLocal.get(m[1]);
  return path ? `${path}.${m[2]}` : undefined;
}

/** The type of what Put is given, resolved through `&v`. */
function putType(scan: PoolScan, put: Site): { kind: string; type?: string } | undefined {
  const arg = put.arg;
  if (!arg) return undefined;
  const v = PoolScan.rootIdent(arg);
  if (!v) return undefined;
  const k = scan.kindOf(v);
  if (arg.type === 'unary_expression' && arg.childForFieldName('operator')?.text === '&') {
    return { kind: k.kind === 'slice' ? 'slice-pointer' : 'pointer', type: k.type ? `*${k.type}` : undefined };
  }
  if (k.kind === 'pointer' && k.type?.startsWith('*[]')) return { kind: 'slice-pointer', type: k.type };
  return { kind: k.kind, type: k.type };
}

/**
 * The declaration's Puts whose value and type are known, with a regexp of the names that alias the value in its
 * function, and that function's text: what the reset and capacity rules both start from.
 */
function* knownPuts(ctx: RuleContext): Generator<{ put: Site; v: Node; pt: { kind: string; type?: string }; names: string; text: string }> {
  const scan = poolScan(ctx);
  if (!scan) return;
  for (const put of scan.puts) {
    const v = PoolScan.rootIdent(put.arg);
    const pt = putType(scan, put);
    if (!v || !pt) continue;
    yield { put, v, pt, names: namesRe(relatedNames(put.fn, v.text)), text: put.fn.text };
  }
}

export const poolPutWithoutReset: Rule = {
  id: 'pool-put-without-reset',
  family: 'pool',
  title: 'a buffer put back without Reset() or truncation ([:0]): the next Get sees the old contents',
  defaultSeverity: 'warning',
  checkDecl(_decl, ctx) {
    for (const { put, v, pt, names, text } of knownPuts(ctx)) {
      const truncated = new RegExp(`\\b${names}\\)?\\s*\\[\\s*(?:0\\s*)?:\\s*0\\s*\\]`).test(text);
      if (pt.kind === 'slice' || pt.kind === 'slice-pointer') {
        // Without append the length never changes here: a fixed-size scratch buffer needs no truncation.
        if (truncated || !appends(text, names)) continue;
        ctx.report(put.call, `\`${putText(put)}\` puts back a slice that this function never truncates: the next Get receives the old ` +
          `contents and length (pool items come back dirty, golang/go#18638). Put \`${v.text}[:0]\`, or reslice to [:0] right after Get.`);
        continue;
      }
      const base = pt.type?.replace(/^\*/, '');
      const resettable = (base && ctx.file.types.resetTypes.has(base)) || RESET_STD.has(stdName(pt.type, ctx) ?? '');
      if (!resettable || truncated) continue;
      if (new RegExp(`\\b${names}\\)?\\s*\\.\\s*(?:Reset|Truncate)\\s*\\(`).test(text)) continue;
      ctx.report(put.call, `\`${putText(put)}\` puts back a ${pt.type} that this function never resets: the next Get receives it with ` +
        `the old contents (pool items come back dirty, golang/go#18638). Call \`${v.text}.Reset()\` before Put, or right after Get.`);
    }
  },
};

const GROWABLE_STD = new Set(['bytes.Buffer', 'strings.Builder']);

export const poolUnboundedBuffer: Rule = {
  id: 'pool-unbounded-buffer',
  family: 'pool',
  title: 'a growable buffer put back with no capacity bound: one large use pins that memory in the pool (golang/go#23199)',
  defaultSeverity: 'warning',
  checkDecl(_decl, ctx) {
    for (const { put, v, pt, names, text } of knownPuts(ctx)) {
      // A slice grows only through append; a fixed-size scratch buffer cannot pin more than it started with.
      const growable = ((pt.kind === 'slice' || pt.kind === 'slice-pointer') && appends(text, names)) || GROWABLE_STD.has(stdName(pt.type, ctx) ?? '');
      if (!growable) continue;
      if (new RegExp(`\\bcap\\s*\\(\\s*\\(?\\s*\\*?\\s*${names}\\b`).test(text) || new RegExp(`\\b${names}\\)?\\s*\\.\\s*Cap\\s*\\(`).test(text)) continue;
      const check = pt.kind === 'slice' ? `cap(${v.text})` : pt.kind === 'slice-pointer' ? `cap(*${v.text})` : `${v.text}.Cap()`;
      ctx.report(put.call, `\`${putText(put)}\` keeps a buffer of any size: after one large use, that capacity stays pinned in the pool ` +
        '(golang/go#23199), and on a microcontroller that is RAM the rest of the program cannot have. Drop oversized buffers ' +
        `before Put, e.g. \`if ${check} > 4<<10 { return }\`.`);
    }
  },
};

export const POOL_RULES: readonly Rule[] = [poolPutNotPointer, poolCopied, poolGetNoNew, poolUseAfterPut, poolPutWithoutReset, poolUnboundedBuffer];
