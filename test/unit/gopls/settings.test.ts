import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goplsConfigForOwnClient, mergeGoplsSettings, type GoplsDesired } from '../../../src/core/gopls/settings';

const FEATHER: GoplsDesired = {
  env: { GOROOT: '/c/tinygo/goroot-abc', GOOS: 'linux', GOARCH: 'arm' },
  tags: ['cortexm', 'baremetal', 'nrf52840', 'tinygo'],
};
const PCA10040: GoplsDesired = { env: { GOROOT: '/c/tinygo/goroot-abc', GOOS: 'linux', GOARCH: 'arm' }, tags: ['cortexm', 'nrf52', 'tinygo'] };

void test('first write into empty settings: build.env and build.buildFlags, remembered as ours', () => {
  const r = mergeGoplsSettings({ current: undefined, previous: undefined, desired: FEATHER, target: 'feather-nrf52840' });
  assert.deepEqual(r.value, {
    'build.env': { GOROOT: '/c/tinygo/goroot-abc', GOOS: 'linux', GOARCH: 'arm', GOFLAGS: '-tags=cortexm,baremetal,nrf52840,tinygo' },
    'build.buildFlags': ['-tags=cortexm,baremetal,nrf52840,tinygo'],
  });
  assert.ok(r.changed);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.managed?.env.GOOS, 'linux');
});

void test('changing target replaces only our values; the user\'s other gopls settings and flags stay', () => {
  const first = mergeGoplsSettings({ current: { 'ui.semanticTokens': true, 'build.buildFlags': ['-mod=mod'] }, previous: undefined, desired: FEATHER });
  assert.deepEqual(first.value?.['build.buildFlags'], ['-mod=mod', '-tags=cortexm,baremetal,nrf52840,tinygo']);
  const second = mergeGoplsSettings({ current: first.value, previous: first.managed, desired: PCA10040 });
  assert.deepEqual(second.value, {
    'ui.semanticTokens': true,
    'build.buildFlags': ['-mod=mod', '-tags=cortexm,nrf52,tinygo'],
    'build.env': { GOROOT: '/c/tinygo/goroot-abc', GOOS: 'linux', GOARCH: 'arm', GOFLAGS: '-tags=cortexm,nrf52,tinygo' },
  });
  // Back to plain Go: everything we added goes, nothing of the user's.
  const none = mergeGoplsSettings({ current: second.value, previous: second.managed, desired: undefined });
  assert.deepEqual(none.value, { 'ui.semanticTokens': true, 'build.buildFlags': ['-mod=mod'] });
  assert.equal(none.managed, undefined);
});

void test('a value the user wrote is never clobbered, and a conflicting one is reported', () => {
  const first = mergeGoplsSettings({ current: undefined, previous: undefined, desired: FEATHER });
  // The user edits GOOS by hand after we wrote it.
  const edited = { ...first.value, 'build.env': { ...(first.value?.['build.env'] as object), GOOS: 'darwin' } };
  const r = mergeGoplsSettings({ current: edited, previous: first.managed, desired: PCA10040, target: 'pca10040' });
  assert.equal((r.value?.['build.env'] as Record<string, string>).GOOS, 'darwin');
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /GOOS="darwin".*pca10040 needs GOOS=linux/);
  // And removing the target leaves the user's GOOS in place.
  const none = mergeGoplsSettings({ current: r.value, previous: r.managed, desired: undefined });
  assert.deepEqual(none.value, { 'build.env': { GOOS: 'darwin' } });
});

void test('the user\'s GOFLAGS keeps its flags and gets the target\'s tags; it is restored afterwards', () => {
  const current = { 'build.env': { GOFLAGS: '-mod=vendor -tags=mytag' } };
  const r = mergeGoplsSettings({ current, previous: undefined, desired: FEATHER });
  assert.equal((r.value?.['build.env'] as Record<string, string>).GOFLAGS, '-tags=cortexm,baremetal,nrf52840,tinygo,mytag -mod=vendor');
  assert.equal(r.managed?.goflagsBase, '-mod=vendor -tags=mytag');
  const again = mergeGoplsSettings({ current: r.value, previous: r.managed, desired: PCA10040 });
  assert.equal((again.value?.['build.env'] as Record<string, string>).GOFLAGS, '-tags=cortexm,nrf52,tinygo,mytag -mod=vendor');
  const none = mergeGoplsSettings({ current: again.value, previous: again.managed, desired: undefined });
  assert.deepEqual(none.value, current);
});

void test('writing the same target twice changes nothing', () => {
  const first = mergeGoplsSettings({ current: undefined, previous: undefined, desired: FEATHER });
  const again = mergeGoplsSettings({ current: first.value, previous: first.managed, desired: FEATHER });
  assert.equal(again.changed, false);
  assert.deepEqual(again.value, first.value);
});

void test('the user\'s -tags in buildFlags, go.buildTags and go.buildFlags -tags are warned about (they override the target)', () => {
  const r = mergeGoplsSettings({
    current: { 'build.buildFlags': ['-tags', 'integration'] }, previous: undefined, desired: FEATHER,
    goBuildTags: 'foo', goBuildFlags: ['-tags=bar'], target: 'feather-nrf52840',
  });
  assert.equal(r.warnings.length, 3);
  assert.match(r.warnings[0], /build\.buildFlags.*"integration".*overrides the target's build tags for feather-nrf52840.*go:build nrf52840/);
  assert.match(r.warnings[1], /go\.buildTags.*"foo"/);
  assert.match(r.warnings[2], /go\.buildFlags.*"bar"/);
  // Their -tags stays and ours is not added next to it (the last -tags would win silently).
  assert.deepEqual(r.value?.['build.buildFlags'], ['-tags', 'integration']);
  // Without a target there is nothing to override.
  assert.deepEqual(mergeGoplsSettings({ current: undefined, previous: undefined, desired: undefined, goBuildTags: 'foo' }).warnings, []);
});

void test('GOARM is written when the target has one and removed when the next has none', () => {
  const withArm: GoplsDesired = { env: { ...FEATHER.env, GOARM: '6' }, tags: FEATHER.tags };
  const a = mergeGoplsSettings({ current: undefined, previous: undefined, desired: withArm });
  assert.equal((a.value?.['build.env'] as Record<string, string>).GOARM, '6');
  const b = mergeGoplsSettings({ current: a.value, previous: a.managed, desired: FEATHER });
  assert.equal((b.value?.['build.env'] as Record<string, string>).GOARM, undefined);
});

void test('own client: the user\'s gopls settings plus the target, in memory; the process GOFLAGS is kept', () => {
  const r = goplsConfigForOwnClient({ 'ui.codelenses': { test: false } }, FEATHER, 'feather-nrf52840', '-mod=mod');
  assert.deepEqual(r.config['ui.codelenses'], { test: false });
  assert.equal((r.config['build.env'] as Record<string, string>).GOFLAGS, '-tags=cortexm,baremetal,nrf52840,tinygo -mod=mod');
  assert.deepEqual(goplsConfigForOwnClient(undefined, undefined).config, {});
});
