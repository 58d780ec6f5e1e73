import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../../regexp';
import type { Rule, RuleContext, SharedAnalysis } from '../engine';
import { localNameOf } from '../fileFacts';
import type { Range } from '../model';
import { callOf, enclosingFunction, stringLiteralValue } from '../syntax';
import {
  CGO_DIRECTIVES, FINALIZER_NOOP_GCS, packageStatus, recoverSupport, RUNTIME_STUBS,
} from '../tinygoSupport';

interface Scan {
  goStmts: Node[];
  /** Calls of a bare identifier: name -> call nodes. */
  calls: { name: Node; call: Node }[];
  /** Calls pkg.Sel(...). */
  pkgCalls: { pkg: Node; sel: Node; call: Node }[];
  /** Qualified types pkg.Name (for runtime.Error). */
  qtypes: { pkg: Node; name: Node; node: Node }[];
}

/**
 * What the rules of this file look at in a declaration, found once and shared by them (RuleContext.shared).
 * Found from the declaration's text: each occurrence of `go`, `recover` or a runtime name is looked up in the tree
 * (`descendantForIndex`) and kept when it is the construct (not a comment, a string or another use of the word).
 * Walking every call of a large function through a query cost more than the rest of these rules together.
 */
function scan(decl: Node, ctx: RuleContext): Scan {
  const s: Scan = { goStmts: [], calls: [], pkgCalls: [], qtypes: [] };
  const text = decl.text;
  const base = decl.startIndex;
  const at = (offset: number, length: number) => decl.descendantForIndex(base + offset, base + offset + length);
  if (ctx.target.scheduler === 'none') {
    for (const m of text.matchAll(/\bgo\b/g)) {
      const kw = at(m.index, 2);
      const stmt = kw?.type === 'go' ? kw.parent : null;
      if (stmt?.type === 'go_statement' && stmt.startIndex === kw!.startIndex) s.goStmts.push(stmt);
    }
  }
  // includes() first: most declarations have no recover, and a plain search is several times cheaper than the regexp.
  if (text.includes('recover')) for (const m of text.matchAll(/\brecover\b/g)) {
    const name = at(m.index, 7);
    const call = name?.type === 'identifier' ? callOf(name) : null;
    if (call) s.calls.push({ name: name!, call });
  }
  const rt = localNameOf(ctx.file, 'runtime');
  if (rt && text.includes(`${rt}.`)) {
    for (const m of text.matchAll(runtimeNamesRe(rt))) {
      const word = m[1];
      const name = at(m.index + m[0].length - word.length, word.length);
      const parent = name?.parent;
      if (!name || !parent) continue;
      if (name.type === 'field_identifier' && parent.type === 'selector_expression') {
        const pkg = parent.childForFieldName('operand');
        const call = pkg?.type === 'identifier' ? callOf(parent) : null;
        if (call) s.pkgCalls.push({ pkg: pkg!, sel: name, call });
      } else if (name.type === 'type_identifier' && parent.type === 'qualified_type') {
        const pkg = parent.childForFieldName('package');
        if (pkg) s.qtypes.push({ pkg, name, node: parent });
      }
    }
  }
  return s;
}

const SCAN: SharedAnalysis<Scan> = { name: 'unsupported', compute: scan };

const runtimeRes = new Map<string, RegExp>();
/** `rt.Name` for the runtime names the rules here look at (stubs, SetFinalizer, the runtime.Error type); group 1 is the name. */
function runtimeNamesRe(rt: string): RegExp {
  let re = runtimeRes.get(rt);
  if (!re) {
    const names = [...RUNTIME_STUBS.map((x) => x.name), 'SetFinalizer', 'Error'];
    re = new RegExp(`\\b${escapeRegExp(rt)}\\s*\\.\\s*(${names.join('|')})\\b`, 'g');
    runtimeRes.set(rt, re);
  }
  return re;
}

function runtimeCalls(decl: Node, ctx: RuleContext, names: ReadonlySet<string>): { sel: Node; call: Node }[] {
  const rt = localNameOf(ctx.file, 'runtime');
  if (!rt || decl.type === 'import_declaration') return [];
  return ctx.shared(SCAN).pkgCalls.filter((c) => c.pkg.text === rt && names.has(c.sel.text));
}

export const unsupportedPackage: Rule = {
  id: 'unsupported-package',
  family: 'unsupported',
  title: 'standard packages that do not build with TinyGo, or do not work on the target',
  defaultSeverity: 'error',
  checkDecl(decl, ctx) {
    if (decl.type !== 'import_declaration') return;
    const { tinygoVersion: v, kind } = ctx.target;
    const specs = decl.descendantsOfType('import_spec').flatMap((spec) => {
      const pathNode = spec?.childForFieldName('path') ?? null;
      const path = stringLiteralValue(pathNode);
      return pathNode && path !== undefined ? [{ pathNode, path }] : [];
    });
    let imported: string[] | undefined;
    const importsOneOf = (pkgs: readonly string[]): boolean => {
      // This declaration's imports (blank ones too) and the file's other import declarations.
      imported ??= [...specs.map((s) => s.path), ...ctx.file.importByLocal.values()];
      return imported.some((p) => pkgs.some((q) => p === q || p.startsWith(`${q}/`)));
    };
    for (const { pathNode, path } of specs) {
      const e = packageStatus(path, v, kind);
      if (!e) continue;
      if (e.unlessImports && importsOneOf(e.unlessImports)) continue;
      if (e.status === 'no-build') {
        ctx.report(pathNode, `"${path}" cannot be imported with TinyGo ${v}: ${e.detail}. The build fails.`);
      } else if (e.status === 'panics') {
        ctx.report(pathNode, `"${path}" builds with TinyGo ${v}, but it leans on reflect that TinyGo does not implement: ${e.detail}.`,
          { severity: 'warning' });
      } else if (e.severity === 'information') {
        ctx.report(pathNode, `"${path}" on ${ctx.target.target || `${kind} targets`} with TinyGo ${v}: ${e.detail}.`,
          { severity: 'information' });
      } else {
        ctx.report(pathNode, `"${path}" builds for ${kind} targets with TinyGo ${v}, but it cannot do its job there: ${e.detail}.`,
          { severity: 'warning' });
      }
    }
  },
};

export const unsupportedGoroutineNoScheduler: Rule = {
  id: 'unsupported-goroutine-no-scheduler',
  family: 'unsupported',
  title: '`go` statements in a build with -scheduler=none (compile error)',
  defaultSeverity: 'error',
  checkDecl(decl, ctx) {
    if (ctx.target.scheduler !== 'none' || decl.type === 'import_declaration') return;
    for (const g of ctx.shared(SCAN).goStmts) {
      const kw = g.child(0) ?? g;
      ctx.report(kw, 'This build uses -scheduler=none: TinyGo refuses to compile a `go` statement ' +
        '("attempted to start a goroutine without a scheduler"). Call the function directly, or build with -scheduler=tasks.');
    }
  },
};

function isRuntimeErrorCheck(n: Node, rt: string): boolean {
  return n.childForFieldName('package')?.text === rt && n.childForFieldName('name')?.text === 'Error';
}

export const unsupportedRecover: Rule = {
  id: 'unsupported-recover',
  family: 'unsupported',
  title: 'recover() where TinyGo cannot recover: every panic on wasm/riscv64/Xtensa, runtime errors everywhere',
  defaultSeverity: 'error',
  checkDecl(decl, ctx) {
    if (decl.type === 'import_declaration') return;
    const s = ctx.shared(SCAN);
    const recovers = s.calls.filter((c) => c.name.text === 'recover' && (c.call.childForFieldName('arguments')?.namedChildCount ?? 0) === 0);
    if (recovers.length === 0) return;
    const sup = recoverSupport(ctx.target);
    if (sup.level === 'never') {
      for (const r of recovers) {
        ctx.report(r.name, `TinyGo ${ctx.target.tinygoVersion} cannot recover panics here (${sup.why}): a panic prints its message and aborts ` +
          'the program before deferred calls run, so this recover() never returns a panic value. Return errors instead of panicking.');
      }
      return;
    }
    // Recovering works for values passed to panic(); runtime errors (index out of range, nil dereference...) abort.
    const rt = localNameOf(ctx.file, 'runtime');
    if (!rt) return;
    const handlers = new Set(recovers.map((r) => enclosingFunction(r.call)?.id));
    for (const q of s.qtypes) {
      if (!isRuntimeErrorCheck(q.node, rt)) continue;
      if (!handlers.has(enclosingFunction(q.node)?.id)) continue;
      ctx.report(q.node, `TinyGo ${ctx.target.tinygoVersion} never recovers runtime errors (index out of range, nil dereference, ` +
        'division by zero...): they abort the program without running deferred calls, so recover() only ever sees values passed ' +
        'to panic() and this runtime.Error case cannot happen. Check bounds and nil before the operation instead.', { severity: 'warning' });
    }
  },
};

export const unsupportedFinalizer: Rule = {
  id: 'unsupported-finalizer',
  family: 'unsupported',
  title: 'runtime.SetFinalizer, a no-op with the none, leaking and block-based (conservative, precise) GCs',
  defaultSeverity: 'warning',
  checkDecl(decl, ctx) {
    if (!FINALIZER_NOOP_GCS.has(ctx.target.gc)) return;
    for (const c of runtimeCalls(decl, ctx, new Set(['SetFinalizer']))) {
      ctx.report(c.sel, `runtime.SetFinalizer does nothing with -gc=${ctx.target.gc} (TinyGo ${ctx.target.tinygoVersion}): the finalizer ` +
        'never runs, so whatever it releases leaks. Release the resource explicitly (a Close method, defer).');
    }
  },
};

export const unsupportedRuntimeStub: Rule = {
  id: 'unsupported-runtime-stub',
  family: 'unsupported',
  title: 'runtime functions that TinyGo only stubs: NumGoroutine, GOMAXPROCS, Caller, Callers, Stack',
  defaultSeverity: 'warning',
  checkDecl(decl, ctx) {
    const names = new Set(RUNTIME_STUBS.filter((s) => !s.exceptSchedulers?.includes(ctx.target.scheduler)).map((s) => s.name));
    for (const c of runtimeCalls(decl, ctx, names)) {
      const stub = RUNTIME_STUBS.find((s) => s.name === c.sel.text);
      if (!stub) continue;
      ctx.report(c.sel, `runtime.${stub.name} ${stub.detail} in TinyGo ${ctx.target.tinygoVersion}: code that depends on its result behaves differently than with gc.`);
    }
  },
};

/** The comment nodes of a cgo preamble: those directly above `import "C"` (ungrouped) or above the "C" spec in a group. */
function preambleComments(decl: Node): Node[] {
  const out: Node[] = [];
  const collect = (start: Node) => {
    let row = start.startPosition.row;
    for (let c = start.previousNamedSibling; c?.type === 'comment' && c.endPosition.row === row - 1; c = c.previousNamedSibling) {
      out.unshift(c);
      row = c.startPosition.row;
    }
  };
  for (const spec of decl.descendantsOfType('import_spec')) {
    if (!spec || stringLiteralValue(spec.childForFieldName('path')) !== 'C') continue;
    if (spec.parent?.id === decl.id) collect(decl); else collect(spec);
  }
  return out;
}

export const unsupportedCgoDirective: Rule = {
  id: 'unsupported-cgo-directive',
  family: 'unsupported',
  title: '#cgo lines TinyGo rejects: anything but CFLAGS/LDFLAGS, and build constraints',
  defaultSeverity: 'error',
  checkDecl(decl, ctx) {
    if (decl.type !== 'import_declaration' || !decl.text.includes('"C"')) return;
    for (const c of preambleComments(decl)) {
      c.text.split('\n').forEach((line, i) => {
        const at = line.indexOf('#cgo');
        if (at < 0 || !/^\s*(\/\/|\/\*)?\s*\*?\s*$/.test(line.slice(0, at)) || !/^#cgo\s/.test(line.slice(at))) return;
        const body = line.slice(at + 4);
        const colon = body.indexOf(':');
        if (colon < 0) return;
        const fields = body.slice(0, colon).trim().split(/\s+/).filter(Boolean);
        const row = c.startPosition.row + i;
        const col = (i === 0 ? c.startPosition.column : 0) + at;
        const end = line.replace(/\s*\*\/\s*$/, '').length + (i === 0 ? c.startPosition.column : 0);
        const range: Range = { start: { line: row, character: col }, end: { line: row, character: end } };
        if (fields.length > 1) {
          ctx.report(range, `TinyGo rejects build constraints in #cgo lines ("not implemented: build constraints in #cgo line"): ` +
            `move "${fields.slice(0, -1).join(' ')}" into a //go:build constraint of a separate file.`);
        } else if (fields.length === 1 && !CGO_DIRECTIVES.has(fields[0])) {
          ctx.report(range, `TinyGo accepts only CFLAGS and LDFLAGS in #cgo lines ("invalid #cgo line: ${fields[0]}")` +
            (fields[0] === 'pkg-config' ? ': run pkg-config yourself and put its output in CFLAGS/LDFLAGS.' : '.'));
        }
      });
    }
  },
};

export const UNSUPPORTED_RULES: readonly Rule[] = [
  unsupportedPackage, unsupportedGoroutineNoScheduler, unsupportedRecover, unsupportedFinalizer, unsupportedRuntimeStub, unsupportedCgoDirective,
];
