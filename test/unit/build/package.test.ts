import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findModule, isIgnoredFile, readModulePath, readPackageClause, resolveBuildPackage } from '../../../src/core/build';
import { oddTempDir } from './helpers';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

void test('package clause after comments, build constraints and a BOM', () => {
  assert.equal(readPackageClause('package main\n'), 'main');
  assert.equal(readPackageClause('\ufeff// Copyright\n//go:build tinygo\n\n/* block\n package x */\npackage   blinky // c\n'), 'blinky');
  assert.equal(readPackageClause('packagemain'), undefined);
  assert.equal(readPackageClause('/* unterminated'), undefined);
  assert.equal(readPackageClause('func main() {}'), undefined);
  assert.equal(readPackageClause('package ünïcode'), 'ünïcode');
  assert.ok(isIgnoredFile('//go:build ignore\n\npackage main\n'));
  assert.ok(!isIgnoredFile('//go:build tinygo\n\npackage main\n'));
  assert.equal(readModulePath('// c\nmodule "example.com/x" // y\n\ngo 1.22\n'), 'example.com/x');
  assert.equal(readModulePath('go 1.22\n'), undefined);
});

void test('the main package of the active file\'s folder, with its module', () => {
  const root = oddTempDir();
  write(root, {
    'go.mod': 'module example.com/prog\n\ngo 1.22\n',
    'cmd/app dir/main.go': '// The program.\npackage main\n\nfunc main() {}\n',
    'cmd/app dir/util.go': 'package main\n',
    'cmd/app dir/main_test.go': 'package main_test\n',
    'cmd/app dir/gen.go': '//go:build ignore\n\npackage generator\n',
    'lib/lib.go': 'package lib\n',
  });
  const r = resolveBuildPackage({ folderRoot: root, activeFileDir: path.join(root, 'cmd/app dir') });
  assert.ok(r.ok, !r.ok ? r.message : '');
  assert.equal(r.pkg.dir, path.join(root, 'cmd/app dir'));
  assert.equal(r.pkg.cwd, r.pkg.dir);
  assert.equal(r.pkg.pkgArg, '.');
  assert.equal(r.pkg.origin, 'active-file');
  assert.deepEqual(r.pkg.goFiles.map((f) => path.basename(f)), ['main.go', 'util.go']);
  assert.deepEqual(r.pkg.module, { path: 'example.com/prog', dir: root });
  assert.equal(findModule(path.join(root, 'lib'))?.path, 'example.com/prog');

  const lib = resolveBuildPackage({ folderRoot: root, activeFileDir: path.join(root, 'lib') });
  assert.ok(!lib.ok);
  assert.match(lib.message, /package "lib" \(lib\.go\), not package "main".*tinygo\.build\.package/);
});

void test('tinygo.build.package wins: a relative folder, an absolute one, or an import path of the module', () => {
  const root = oddTempDir();
  write(root, { 'go.mod': 'module example.com/prog\n', 'cmd/app/main.go': 'package main\n', 'main.go': 'package other\n' });
  for (const configured of ['./cmd/app', 'cmd/app', path.join(root, 'cmd/app'), 'example.com/prog/cmd/app']) {
    const r = resolveBuildPackage({ folderRoot: root, activeFileDir: root, configured });
    assert.ok(r.ok, `${configured}: ${!r.ok ? r.message : ''}`);
    assert.equal(r.pkg.dir, path.join(root, 'cmd/app'), configured);
    assert.equal(r.pkg.origin, 'setting');
  }
  const bad = resolveBuildPackage({ folderRoot: root, configured: 'github.com/else/where' });
  assert.ok(!bad.ok);
  assert.match(bad.message, /neither a folder .* nor an import path in its module \(example\.com\/prog\)/);
  const missing = resolveBuildPackage({ folderRoot: root, configured: './nope' });
  assert.ok(!missing.ok && /does not exist/.test(missing.message));
});

void test('no Go files, no folder: clear messages, never a throw', () => {
  const root = oddTempDir();
  const r = resolveBuildPackage({ folderRoot: root });
  assert.ok(!r.ok && /no Go files/.test(r.message));
  const none = resolveBuildPackage({});
  assert.ok(!none.ok && /Nothing to build/.test(none.message));
  // The folder itself when no Go file is active.
  write(root, { 'main.go': 'package main\n' });
  const f = resolveBuildPackage({ folderRoot: root });
  assert.ok(f.ok && f.pkg.origin === 'folder' && f.pkg.module === undefined);
});
