import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goSatisfies, goVersionOf, installArgs, parseRequiresNewerGo, releasesBelow } from '../../../src/core/gopls/install';

// Captured from `go install golang.org/x/tools/gopls@latest` with go1.26.8 and GOTOOLCHAIN=local (November 2026).
const REFUSAL = 'go: golang.org/x/tools/gopls@latest: golang.org/x/tools/gopls@v0.24.0 requires go >= 1.27.0 (running go 1.26.8; GOTOOLCHAIN=local)\n';
// `go list -m -versions golang.org/x/tools/gopls`, the same day.
const VERSIONS = 'golang.org/x/tools/gopls v0.19.1 v0.20.0 v0.21.0-pre.1 v0.21.0-pre.2 v0.21.0 v0.21.1-pre.1 v0.21.1 v0.22.0-pre.1 v0.22.0-pre.2 ' +
  'v0.22.0-pre.3 v0.22.0-pre.4 v0.22.0 v0.23.0-pre.2 v0.23.0 v0.24.0\n';
// `go list -m -json golang.org/x/tools/gopls@v0.23.0`.
const MOD_JSON = '{\n\t"Path": "golang.org/x/tools/gopls",\n\t"Version": "v0.23.0",\n\t"Time": "2026-07-07T18:53:34Z",\n' +
  '\t"GoMod": "/root/go/pkg/mod/cache/download/golang.org/x/tools/gopls/@v/v0.23.0.mod",\n\t"GoVersion": "1.26.0"\n}\n';

void test('gopls install: the "requires go >=" refusal of a Go that may not switch toolchains is recognised', () => {
  assert.deepEqual(parseRequiresNewerGo(REFUSAL), { version: 'v0.24.0', requires: '1.27.0', running: '1.26.8' });
  assert.equal(parseRequiresNewerGo('go: golang.org/x/tools/gopls@latest: module lookup disabled by GOPROXY=off\n'), undefined);
  assert.equal(parseRequiresNewerGo(''), undefined);
});

void test('gopls install: older releases newest first, without pre-releases', () => {
  assert.deepEqual(releasesBelow(VERSIONS, 'v0.24.0'), ['v0.23.0', 'v0.22.0', 'v0.21.1', 'v0.21.0', 'v0.20.0', 'v0.19.1']);
  assert.deepEqual(releasesBelow(VERSIONS, 'v0.19.1'), []);
  assert.deepEqual(releasesBelow('', 'v0.24.0'), []);
});

void test('gopls install: the Go a release needs, and whether this Go builds it', () => {
  assert.equal(goVersionOf(MOD_JSON), '1.26.0');
  assert.equal(goVersionOf('{"Path": "golang.org/x/tools/gopls", "Version": "v0.24.0"}'), undefined);
  assert.equal(goVersionOf('not json'), undefined);
  assert.ok(goSatisfies('1.26.8', '1.26.0'));
  assert.ok(goSatisfies('1.26.8', '1.25'));
  assert.ok(!goSatisfies('1.26.8', '1.27.0'));
  assert.ok(!goSatisfies('1.26.8', '1.26.9'));
  assert.deepEqual(installArgs('v0.23.0'), ['install', 'golang.org/x/tools/gopls@v0.23.0']);
});
