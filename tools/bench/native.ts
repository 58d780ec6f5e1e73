/**
 * The bench's yardstick for the workspace scan: tree-sitter's C library and the same Go grammar compiled natively
 * (-O2) on this machine, parsing the same files on one core (parse and free, nothing else). The scan runs the
 * wasm build of the same library (web-tree-sitter) plus every rule, so this says how much of the 3 MB/s target the
 * machine leaves once tree-sitter itself has run. Built once into the cache; needs a C compiler and the Go module
 * proxy (for the library's C sources, in the go-tree-sitter module), and reports why when either is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { executableNames, pathDirs } from '../../src/core/tinygo/locate';

/** The tree-sitter C library: go-tree-sitter carries it (lib.c, include/), at the release web-tree-sitter 0.25-0.27 share. */
export const NATIVE_RUNTIME_MODULE = 'github.com/tree-sitter/go-tree-sitter@v0.25.0';

export type NativeCeiling =
  | { skipped: string }
  | { compiler: string; runtime: string; grammar: string; files: number; mb: number; runs: number[]; medianMbPerSec: number };

const HARNESS = String.raw`#include <tree_sitter/api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
const TSLanguage *tree_sitter_go(void);
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
/* argv[1]: a file listing one path per line; argv[2]: runs. Prints "files bytes seconds" per run. */
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  FILE *l = fopen(argv[1], "r");
  if (!l) return 2;
  size_t n = 0, cap = 1024; char **bufs = malloc(cap * sizeof *bufs); size_t *lens = malloc(cap * sizeof *lens);
  char line[8192];
  while (fgets(line, sizeof line, l)) {
    line[strcspn(line, "\n")] = 0;
    FILE *f = fopen(line, "rb");
    if (!f) continue;
    fseek(f, 0, SEEK_END); long s = ftell(f); fseek(f, 0, SEEK_SET);
    if (n == cap) { cap *= 2; bufs = realloc(bufs, cap * sizeof *bufs); lens = realloc(lens, cap * sizeof *lens); }
    bufs[n] = malloc(s > 0 ? s : 1); lens[n] = fread(bufs[n], 1, s, f); fclose(f); n++;
  }
  fclose(l);
  size_t total = 0; for (size_t i = 0; i < n; i++) total += lens[i];
  TSParser *p = ts_parser_new();
  if (!ts_parser_set_language(p, tree_sitter_go())) return 3;
  for (int r = 0; r < atoi(argv[2]); r++) {
    double t0 = now();
    for (size_t i = 0; i < n; i++) { TSTree *t = ts_parser_parse_string(p, NULL, bufs[i], (uint32_t)lens[i]); if (t) ts_tree_delete(t); }
    printf("%zu %zu %.4f\n", n, total, now() - t0);
    fflush(stdout);
  }
  return 0;
}
`;

/** The first of `names` on PATH, read as the tinygo locator reads it (core/tinygo/locate.ts). */
function onPath(names: string[]): string | undefined {
  const deps = { env: process.env, platform: process.platform };
  for (const dir of pathDirs(deps)) {
    for (const file of names.flatMap((n) => executableNames(n, deps))) {
      const p = path.join(dir, file);
      try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
    }
  }
  return undefined;
}

/** Builds (once) and runs the native parser over `files`, `runs` times. Never throws: a missing piece is a `skipped`. */
export function nativeTreeSitterCeiling(files: readonly string[], runs: number, grammarSrc: string, cacheRoot: string): NativeCeiling {
  const cc = onPath(['cc', 'gcc', 'clang']);
  if (!cc) return { skipped: 'no C compiler (cc, gcc or clang) on PATH' };
  if (!fs.existsSync(path.join(grammarSrc, 'parser.c'))) return { skipped: `no ${path.join(grammarSrc, 'parser.c')}` };
  const dl = spawnSync('go', ['mod', 'download', '-json', NATIVE_RUNTIME_MODULE], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  let dir: string | undefined;
  try { dir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir; } catch { /* below */ }
  if (!dir || !fs.existsSync(path.join(dir, 'src', 'lib.c'))) {
    return { skipped: `the tree-sitter C sources (${NATIVE_RUNTIME_MODULE}) could not be downloaded: ${(dl.stderr || dl.error?.message || '').trim().split('\n').pop()}` };
  }
  const grammarVersion = (() => {
    try { return (JSON.parse(fs.readFileSync(path.join(grammarSrc, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '?'; } catch { return '?'; }
  })();
  const out = path.join(cacheRoot, `ts-native-${NATIVE_RUNTIME_MODULE.split('@')[1]}-go-${grammarVersion}`);
  const bin = path.join(out, 'tsparse');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'main.c'), HARNESS);
    const b = spawnSync(cc, ['-O2', '-I', path.join(dir, 'include'), '-I', path.join(dir, 'src'), '-I', grammarSrc, '-o', `${bin}.tmp`,
      path.join(out, 'main.c'), path.join(dir, 'src', 'lib.c'), path.join(grammarSrc, 'parser.c')], { encoding: 'utf8' });
    if (b.status !== 0) return { skipped: `${cc} could not build it: ${(b.stderr || b.error?.message || '').trim().split('\n').slice(-2).join(' ')}` };
    fs.renameSync(`${bin}.tmp`, bin);
  }
  const list = path.join(out, `files-${process.pid}.txt`);
  fs.writeFileSync(list, files.join('\n') + '\n');
  try {
    const r = spawnSync(bin, [list, String(runs)], { encoding: 'utf8', timeout: 30 * 60_000 });
    const rows = (r.stdout ?? '').trim().split('\n').map((l) => l.split(' ').map(Number)).filter((x) => x.length === 3 && x.every(Number.isFinite));
    if (r.status !== 0 || rows.length !== runs) return { skipped: `the native parser ended with status ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().slice(0, 200)}` };
    const mb = rows[0][1] / 1e6;
    const rates = rows.map((x) => +(mb / x[2]).toFixed(2));
    const sorted = [...rates].sort((a, b) => a - b);
    return { compiler: `${path.basename(cc)} -O2`, runtime: NATIVE_RUNTIME_MODULE, grammar: `tree-sitter-go ${grammarVersion}`, files: rows[0][0],
      mb: +mb.toFixed(2), runs: rates, medianMbPerSec: sorted[Math.floor((sorted.length - 1) / 2)] };
  } finally {
    fs.rmSync(list, { force: true });
  }
}
