import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli';
import { FIXTURE_DIR, MISSING, llvmTool, run } from './llvm';

const OLD = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-tinygo0.39.elf');
const NEW = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-echo-tinygo0.39.elf');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['size', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function berkeley(file: string): { text: number; data: number; bss: number } {
  const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s/.exec(run('llvm-size-19', [file]).split('\n')[1]!)!;
  return { text: Number(m[1]), data: Number(m[2]), bss: Number(m[3]) };
}

interface Json { totals: { flash: number; ram: number }; sections: { size: number }[]; symbols: { name: string; package: string; section: string; size: number; address: number; gap?: true; file?: string; line?: number }[];
  packages: { package: string; flash: number }[]; diff?: { flash: number; ram: number; added: { name: string; gap?: true }[]; removed: { name: string; gap?: true }[]; changed: { name: string; delta: number }[]; packages: { package: string; flash: number }[] } }

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-size-'));

void test('size prints flash = text + data and RAM = data + bss as llvm-size-19 counts them, packages and the 20 largest symbols', async (t) => {
  if (!llvmTool('size')) return t.skip(MISSING('size'));
  const r = await cli(OLD);
  assert.equal(r.code, 0, r.err);
  const b = berkeley(OLD);
  assert.match(r.out, new RegExp(`flash ${b.text + b.data} B \\(text ${b.text} \\+ data ${b.data}\\), RAM ${b.data + b.bss} B \\(data ${b.data} \\+ bss ${b.bss}\\)`));
  assert.match(r.out, /\bpackage\n[\s\S]*\bmain\n/);
  const largest = r.out.split('largest symbols:\n')[1]!.split('\n');
  assert.equal(largest.length, 20);
  assert.ok(largest.some((l) => l.includes('(*machine/usb/cdc.USBCDC).Write')), 'method names (starting with a parenthesis) are symbols');
  assert.ok(!largest.some((l) => /\((stack|padding|unnamed)\)/.test(l)), 'gaps are not symbols');
  const sizes = largest.map((l) => Number(/^\s*(\d+)/.exec(l)![1]));
  assert.deepEqual(sizes, [...sizes].sort((x, y) => y - x), 'largest first');
  // the largest symbol agrees with llvm-nm's size sort
  const nmLast = run('llvm-nm-19', ['-S', '--size-sort', OLD]).trim().split('\n').at(-1)!.split(' ');
  assert.equal(sizes[0], Number.parseInt(nmLast[1]!, 16));
});

void test('--format json lists every symbol with package, section, size, address and a source line where DWARF has one', async () => {
  const r = await cli(OLD, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as Json;
  assert.equal(j.symbols.reduce((n, s) => n + s.size, 0), j.sections.reduce((n, s) => n + s.size, 0), 'symbols and gaps add up to the sections');
  const main = j.symbols.find((s) => s.name === 'main.main')!;
  assert.equal(main.package, 'main');
  assert.equal(main.section, '.text');
  assert.match(`${main.file}:${main.line}`, /feather-blinky\/main\.go:[1-9]\d*$/);
  for (const s of j.symbols) assert.ok(typeof s.package === 'string' && typeof s.address === 'number' && s.size > 0 && s.line !== 0, s.name);
  assert.ok(j.symbols.filter((s) => s.file).length > 50, 'lines found for code');
});

void test('--baseline against an older build: added/removed symbols are exactly llvm-nm\'s, grown ones and package deltas; JSON baseline gives the same', async (t) => {
  if (!llvmTool('nm')) return t.skip(MISSING('nm'));
  const r = await cli(NEW, '--baseline', OLD, '--format', 'json');
  assert.equal(r.code, 0, r.err);
  const d = (JSON.parse(r.out) as Json).diff!;
  const b0 = berkeley(OLD);
  const b1 = berkeley(NEW);
  assert.equal(d.flash, b1.text + b1.data - b0.text - b0.data);
  assert.equal(d.ram, b1.data + b1.bss - b0.data - b0.bss);
  const names = (f: string) => new Set(run('llvm-nm-19', ['-S', f]).split('\n').flatMap((l) => {
    const m = /^[0-9a-f]+ ([0-9a-f]+) [tTdDbBrR] (.*)$/.exec(l);
    return m && Number.parseInt(m[1]!, 16) > 0 ? [m[2]!] : [];
  }));
  const before = names(OLD);
  const after = names(NEW);
  assert.deepEqual(d.added.filter((s) => !s.gap).map((s) => s.name).sort(), [...after].filter((n) => !before.has(n)).sort());
  assert.deepEqual(d.removed.filter((s) => !s.gap).map((s) => s.name).sort(), [...before].filter((n) => !after.has(n)).sort());
  const grown = d.changed.find((c) => c.name === 'main.main');
  assert.ok(grown && grown.delta > 0, 'main.main grew with echo()');
  assert.ok((d.packages.find((p) => p.package === 'main')?.flash ?? 0) > 0, 'package main delta');
  const text = await cli(NEW, '--baseline', OLD);
  assert.match(text.out, new RegExp(`against baseline: flash \\+${d.flash} B`));
  assert.match(text.out, /grown .* main\.main \(\d+ -> \d+\)/);
  const oldJson = path.join(tmp, 'old.json');
  fs.writeFileSync(oldJson, (await cli(OLD, '--format', 'json')).out);
  const viaJson = (JSON.parse((await cli(NEW, '--baseline', oldJson, '--format', 'json')).out) as Json).diff;
  assert.deepEqual(viaJson, d);
});

void test('budgets: exit 0 at the limit, 1 one byte under it with a line naming the budget', async () => {
  const j = JSON.parse((await cli(OLD, '--format', 'json')).out) as Json;
  const { flash, ram } = j.totals;
  assert.equal((await cli(OLD, '--max-flash', String(flash), '--max-ram', String(ram))).code, 0);
  const f = await cli(OLD, `--max-flash=${flash - 1}`);
  assert.equal(f.code, 1);
  assert.match(f.err, new RegExp(`flash budget exceeded: ${flash} B > --max-flash ${flash - 1} B \\(by 1 B\\)`));
  const m = await cli(OLD, '--max-ram', String(ram - 1));
  assert.equal(m.code, 1);
  assert.match(m.err, /RAM budget exceeded/);
  assert.doesNotMatch(m.err, /flash budget/);
});

void test('usage and I/O errors exit 2 with a message: truncated ELF, non-ELF, missing file, bad baseline, bad options', async () => {
  const truncated = path.join(tmp, 'truncated.elf');
  fs.writeFileSync(truncated, fs.readFileSync(OLD).subarray(0, 4000));
  const t1 = await cli(truncated);
  assert.equal(t1.code, 2);
  assert.match(t1.err, /truncated\.elf: .*outside the file/);
  const notElf = path.join(tmp, 'notes.txt');
  fs.writeFileSync(notElf, 'hello, not an ELF\n');
  const t2 = await cli(notElf);
  assert.equal(t2.code, 2);
  assert.match(t2.err, /notes\.txt: not an ELF file/);
  assert.match((await cli(path.join(tmp, 'missing.elf'))).err, /missing\.elf: no such file/);
  const badBase = await cli(OLD, '--baseline', notElf);
  assert.equal(badBase.code, 2);
  assert.match(badBase.err, /notes\.txt: neither an ELF file nor JSON/);
  const wrongJson = path.join(tmp, 'other.json');
  fs.writeFileSync(wrongJson, '{"a":1}');
  assert.match((await cli(OLD, '--baseline', wrongJson)).err, /other\.json: JSON without the symbols/);
  for (const args of [[], [OLD, '--format', 'xml'], [OLD, '--max-flash', '12k'], [OLD, '--bogus'], [OLD, OLD], [OLD, '--baseline']]) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /usage: tinygo-workbench size/, args.join(' '));
  }
});
