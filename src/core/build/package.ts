/**
 * Which package a build compiles: the `main` package of the active file's folder, or the one configured per
 * workspace folder (`tinygo.build.package`). The build always runs *in* the package directory with `.` as the
 * package argument, so paths with spaces or odd characters never have to be quoted or spelled as import paths, and
 * the go.mod above it is found the way `go` finds it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The few file-system calls detection needs; tests may pass their own. */
export interface PackageFs {
  readDir(dir: string): string[];
  readFile(file: string): string;
  isDir(p: string): boolean;
  isFile(p: string): boolean;
}

export const nodeFs: PackageFs = {
  readDir: (d) => fs.readdirSync(d),
  readFile: (f) => fs.readFileSync(f, 'utf8'),
  isDir: (p) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } },
  isFile: (p) => { try { return fs.statSync(p).isFile(); } catch { return false; } },
};

export interface GoModule {
  /** `module` path from go.mod, e.g. `example.com/feather-blinky`. */
  path: string;
  /** Directory holding go.mod. */
  dir: string;
}

export interface BuildPackage {
  /** Absolute directory of the package. */
  dir: string;
  /** Where tinygo runs: the package directory. Relative paths in its output are relative to this. */
  cwd: string;
  /** The package argument: always `.` (cwd is the package). */
  pkgArg: string;
  /** Non-test Go files of the package (absolute), for the editing-time hints. */
  goFiles: string[];
  module?: GoModule;
  /** How the package was chosen, for the output channel. */
  origin: 'setting' | 'active-file' | 'folder';
}

export type PackageResult = { ok: true; pkg: BuildPackage } | { ok: false; message: string };

/**
 * The name in a Go file's `package` clause, after any comments (including `//go:build` lines), or undefined when
 * the file does not start with one (a syntax error: tinygo will say so).
 */
export function readPackageClause(text: string): string | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  for (;;) {
    while (i < n && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    break;
  }
  const m = /^package[ \t]+([\p{L}_][\p{L}\p{Nd}_]*)/u.exec(text.slice(i, i + 200));
  return m ? m[1] : undefined;
}

/** True for files the go tool always leaves out: `//go:build ignore` (the convention for generators and examples). */
export function isIgnoredFile(text: string): boolean {
  const head = text.slice(0, 4096);
  const clause = head.search(/^package\s/m);
  const before = clause < 0 ? head : head.slice(0, clause);
  return /^\/\/go:build\s+ignore\s*$/m.test(before);
}

/** The `module` directive of a go.mod text. */
export function readModulePath(goMod: string): string | undefined {
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+(?:"([^"]+)"|`([^`]+)`|(\S+))$/.exec(line);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

/** The nearest go.mod at or above `dir` (not above `stopAt`, when given). */
export function findModule(dir: string, fsx: PackageFs = nodeFs, stopAt?: string): GoModule | undefined {
  let d = path.resolve(dir);
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (;;) {
    const f = path.join(d, 'go.mod');
    if (fsx.isFile(f)) {
      const p = readModulePath(fsx.readFile(f));
      return p ? { path: p, dir: d } : undefined;
    }
    const up = path.dirname(d);
    if (up === d || d === stop) return undefined;
    d = up;
  }
}

export interface PackageRequest {
  /** Workspace folder root (absolute), if the build belongs to one. */
  folderRoot?: string;
  /** Directory of the active Go file, if any. */
  activeFileDir?: string;
  /** `tinygo.build.package`: a directory (relative to the folder, or absolute) or an import path in the module. */
  configured?: string;
}

const SETTING = '"tinygo.build.package"';

function configuredDir(configured: string, base: string | undefined, fsx: PackageFs): { dir?: string; message?: string } {
  if (path.isAbsolute(configured)) return { dir: path.normalize(configured) };
  if (!base) return { message: `${SETTING} is "${configured}", but there is no workspace folder to resolve it against.` };
  const asDir = path.resolve(base, configured);
  if (configured.startsWith('.') || fsx.isDir(asDir)) return { dir: asDir };
  // An import path: map it into the module of the folder.
  const mod = findModule(base, fsx);
  if (mod && (configured === mod.path || configured.startsWith(mod.path + '/'))) {
    return { dir: path.join(mod.dir, ...configured.slice(mod.path.length).split('/').filter(Boolean)) };
  }
  return { message: `${SETTING} is "${configured}": that is neither a folder under ${base} nor an import path in its module${mod ? ` (${mod.path})` : ''}. Use a folder such as "./cmd/app".` };
}

/** Never throws: every problem is a message for the user. */
export function resolveBuildPackage(req: PackageRequest, fsx: PackageFs = nodeFs): PackageResult {
  let dir: string;
  let origin: BuildPackage['origin'];
  const configured = req.configured?.trim();
  if (configured) {
    const r = configuredDir(configured, req.folderRoot, fsx);
    if (!r.dir) return { ok: false, message: r.message ?? `${SETTING} cannot be resolved.` };
    dir = r.dir;
    origin = 'setting';
  } else if (req.activeFileDir) {
    dir = path.resolve(req.activeFileDir);
    origin = 'active-file';
  } else if (req.folderRoot) {
    dir = path.resolve(req.folderRoot);
    origin = 'folder';
  } else {
    return { ok: false, message: 'Nothing to build: open a Go file of your program, or open its folder.' };
  }
  if (!fsx.isDir(dir)) return { ok: false, message: `The package folder ${dir} does not exist${origin === 'setting' ? ` (from ${SETTING})` : ''}.` };

  let entries: string[];
  try {
    entries = fsx.readDir(dir);
  } catch (err) {
    return { ok: false, message: `Cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const goFiles: string[] = [];
  const names = new Map<string, string>();
  for (const e of entries.sort()) {
    if (!e.endsWith('.go') || e.endsWith('_test.go') || e.startsWith('.') || e.startsWith('_')) continue;
    const file = path.join(dir, e);
    if (!fsx.isFile(file)) continue;
    let text: string;
    try { text = fsx.readFile(file); } catch { continue; }
    if (isIgnoredFile(text)) continue;
    goFiles.push(file);
    const name = readPackageClause(text);
    if (name && !names.has(name)) names.set(name, e);
  }
  if (goFiles.length === 0) {
    return { ok: false, message: `There are no Go files in ${dir}: nothing to build. Open a file of your program's main package${origin === 'setting' ? '' : `, or set ${SETTING}`}.` };
  }
  if (!names.has('main')) {
    const [name, file] = [...names.entries()][0] ?? ['(unreadable)', goFiles[0]];
    return {
      ok: false,
      message: `${dir} holds package "${name}" (${file}), not package "main": tinygo build needs the main package of a program. ` +
        `Open a file of your program's main package, or set ${SETTING} to its folder.`,
    };
  }
  return { ok: true, pkg: { dir, cwd: dir, pkgArg: '.', goFiles, module: findModule(dir, fsx), origin } };
}
