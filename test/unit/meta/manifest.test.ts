import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMAND_IDS } from '../../../src/vscode/commandIds';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; category?: string }[]; configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
  activationEvents?: string[];
  engines: { vscode: string };
  main: string;
};
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const settings = configs.flatMap((c) => Object.keys(c.properties));

void test('the README documents every command and every setting the manifest contributes', () => {
  const missing = [
    ...pkg.contributes.commands.map((c) => c.command).filter((id) => !readme.includes(`\`${id}\``)),
    ...settings.filter((s) => !readme.includes(`\`${s}\``)),
  ];
  assert.deepEqual(missing, [], 'add these to README.md');
});

void test('the command table (src/vscode/commandIds.ts, mapped to handlers in commands.ts) and contributes.commands agree both ways', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command);
  const table: readonly string[] = COMMAND_IDS;
  assert.deepEqual(contributed.filter((id) => !table.includes(id)), [], 'contributed in package.json but not in the command table: nothing would run them');
  assert.deepEqual(table.filter((id) => !contributed.includes(id)), [], 'in the command table but not contributed in package.json');
  assert.equal(new Set(table).size, table.length, 'an id is in the table twice');
});

void test('no file but src/vscode/commands.ts registers a command', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && /\bregisterCommand\(/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'src'));
  assert.deepEqual(offenders, [path.join('src', 'vscode', 'commands.ts')]);
});

void test('every command is in the TinyGo category and every setting in the tinygo section', () => {
  assert.deepEqual(pkg.contributes.commands.filter((c) => c.category !== 'TinyGo').map((c) => c.command), []);
  assert.deepEqual(settings.filter((s) => !s.startsWith('tinygo.')), []);
});

void test('activation is cheap: only Go documents, our own commands and our own views (and Cortex-Debug configurations)', () => {
  // The debug configuration provider for cortex-debug must be there when launch.json is created or Cortex-Debug's
  // dynamic configurations are listed: nothing else of the debug system activates us.
  const bad = (pkg.activationEvents ?? []).filter((e) => !/^(onLanguage:go|onCommand:tinygo\.|onView:tinygo|onWebviewPanel:tinygo|onTaskType:tinygo|onDebugInitialConfigurations$|onDebugDynamicConfigurations:cortex-debug$)/.test(e));
  assert.deepEqual(bad, []);
  assert.ok(!(pkg.activationEvents ?? []).includes('*'));
});

void test('engines.vscode is no lower than vscode-languageclient 11 needs', () => {
  const lc = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/vscode-languageclient/package.json'), 'utf8')) as { engines: { vscode: string } };
  const min = (r: string) => r.replace(/^[\^~>=]+/, '').split('.').map(Number);
  const [a, b] = [min(pkg.engines.vscode), min(lc.engines.vscode)];
  assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]), `${pkg.engines.vscode} < ${lc.engines.vscode}`);
});
