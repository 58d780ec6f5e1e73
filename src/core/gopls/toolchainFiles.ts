import * as path from 'node:path';

/**
 * Whether `file` lies under one of `roots` (TinyGo's own sources: TINYGOROOT, and the merged GOROOT TinyGo builds in
 * its cache). gopls type-checks such a file once the user opens it (Go to Definition), and reports what it cannot
 * understand there (assembly-backed functions such as arm.Asm): errors the user did not write and cannot fix.
 */
export function isUnderRoots(file: string, roots: Iterable<string>, p: typeof path.posix = path): boolean {
  for (const root of roots) {
    if (!root) continue;
    const rel = p.relative(root, file);
    if (rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel)) return true;
  }
  return false;
}
