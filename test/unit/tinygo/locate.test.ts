import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executableNames, expandPath, locateTinygo, pathDirs, usualTinygoLocations, type LocateDeps } from '../../../src/core/tinygo/locate';
import { goInstallDirs, locateGo, locateGopls } from '../../../src/core/gopls/locate';

function deps(files: string[], env: Record<string, string>, platform: NodeJS.Platform = 'linux', homedir = '/home/u'): LocateDeps & { asked: string[] } {
  const asked: string[] = [];
  return { asked, env, platform, homedir, isExecutable: async (p) => { asked.push(p); return files.includes(p); } };
}

void test('the setting wins over PATH, and ~ and ${env:X} expand', async () => {
  const d = deps(['/home/u/tg/bin/tinygo', '/usr/bin/tinygo'], { PATH: '/usr/bin', TG: '/home/u/tg' });
  assert.deepEqual((await locateTinygo('~/tg/bin/tinygo', d)).found, { path: '/home/u/tg/bin/tinygo', source: 'setting' });
  assert.deepEqual((await locateTinygo('${env:TG}/bin/tinygo', d)).found, { path: '/home/u/tg/bin/tinygo', source: 'setting' });
  // A directory is accepted too.
  assert.deepEqual((await locateTinygo('/home/u/tg/bin', d)).found, { path: '/home/u/tg/bin/tinygo', source: 'setting' });
});

void test('a setting that points nowhere is reported, not replaced by the copy on PATH', async () => {
  const d = deps(['/usr/bin/tinygo'], { PATH: '/usr/bin' });
  const r = await locateTinygo('/opt/nothing/tinygo', d);
  assert.equal(r.found, undefined);
  assert.match(r.settingProblem ?? '', /tinygo\.path is set to "\/opt\/nothing\/tinygo"/);
  assert.ok(!d.asked.includes('/usr/bin/tinygo'));
});

void test('PATH in order, then the usual install locations', async () => {
  const d = deps(['/b/tinygo', '/usr/local/tinygo/bin/tinygo'], { PATH: '/a::/b:/a' });
  assert.deepEqual(pathDirs(d), ['/a', '/b']);
  assert.deepEqual((await locateTinygo('', d)).found, { path: '/b/tinygo', source: 'PATH' });
  const d2 = deps(['/usr/local/tinygo/bin/tinygo'], { PATH: '/a' });
  const r = await locateTinygo(undefined, d2);
  assert.deepEqual(r.found, { path: '/usr/local/tinygo/bin/tinygo', source: 'usual location' });
  assert.deepEqual(r.searched.slice(0, 3), ['/a/tinygo', '/usr/local/bin/tinygo', '/usr/local/tinygo/bin/tinygo']);
});

void test('usual locations per OS', () => {
  assert.ok(usualTinygoLocations({ platform: 'linux', homedir: '/h', env: {} }).includes('/h/tinygo/bin/tinygo'));
  const mac = usualTinygoLocations({ platform: 'darwin', homedir: '/Users/u', env: {} });
  assert.ok(mac.includes('/opt/homebrew/bin/tinygo') && mac.includes('/usr/local/opt/tinygo/bin/tinygo'));
  const win = usualTinygoLocations({ platform: 'win32', homedir: 'C:\\Users\\u', env: { ProgramFiles: 'C:\\Program Files' } });
  assert.equal(win[0], 'C:\\tinygo\\bin\\tinygo.exe');
  assert.ok(win.includes('C:\\Program Files\\tinygo\\bin\\tinygo.exe'));
});

void test('Windows: PATHEXT, ; separated PATH, %VAR% expansion', async () => {
  const d = deps(['C:\\tools\\tinygo.exe'], { Path: 'C:\\x;C:\\tools', PATHEXT: '.COM;.EXE' }, 'win32', 'C:\\Users\\u');
  assert.deepEqual(executableNames('tinygo', d), ['tinygo.com', 'tinygo.exe']);
  assert.deepEqual((await locateTinygo(undefined, d)).found, { path: 'C:\\tools\\tinygo.exe', source: 'PATH' });
  assert.equal(expandPath('%USERPROFILE%\\tinygo', { platform: 'win32', homedir: 'C:\\Users\\u', env: { USERPROFILE: 'C:\\Users\\u' } }), 'C:\\Users\\u\\tinygo');
});

void test('gopls: setting, PATH, GOBIN, every GOPATH/bin, ~/go/bin', async () => {
  const env = { PATH: '/usr/bin', GOBIN: '/gobin', GOPATH: '/gp1:/gp2' };
  assert.deepEqual(goInstallDirs({ env, platform: 'linux', homedir: '/h' }), ['/gobin', '/gp1/bin', '/gp2/bin', '/h/go/bin']);
  assert.deepEqual((await locateGopls('', deps(['/gp2/bin/gopls'], env))).found, { path: '/gp2/bin/gopls', source: 'usual location' });
  assert.deepEqual((await locateGopls('', deps(['/h/go/bin/gopls'], { PATH: '' }, 'linux', '/h'))).found?.path, '/h/go/bin/gopls');
  assert.deepEqual((await locateGopls('/x/gopls', deps(['/x/gopls', '/usr/bin/gopls'], env))).found, { path: '/x/gopls', source: 'setting' });
  assert.match((await locateGopls('/nope', deps([], env))).settingProblem ?? '', /tinygo\.gopls\.path/);
  assert.equal((await locateGo(deps(['/usr/local/go/bin/go'], { PATH: '/usr/bin' }))).found?.path, '/usr/local/go/bin/go');
});
