import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FirmwareLineCache } from '../../../src/core/elf';
import { analyzeLine } from '../../../src/core/monitor/lines';
import { FIXTURE_DIR } from './llvm';

const LINE_39 = 'panic: runtime error at 0x00000ac5: assignment to entry in nil map';

void test('the cache reads the firmware once per version of the file and feeds analyzeLine a resolver', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-elf-'));
  try {
    const firmware = path.join(dir, 'firmware.elf');
    fs.copyFileSync(path.join(FIXTURE_DIR, 'microbit-panic-tinygo0.39.elf'), firmware);
    const cache = new FirmwareLineCache();
    const first = await cache.load(firmware);
    assert.ok(first.ok);
    assert.equal(await cache.load(firmware), first, 'unchanged file: same lookup');
    const link = analyzeLine(LINE_39, (a) => first.lookup.lookup(a)).links[0]!;
    assert.match(`${link.file}:${link.line}:${link.col}`, /\/runtime\/hashmap\.go:512:14$/);

    // A rebuild (here: the 0.33 build of the same program) replaces the file: the next load reads it again.
    fs.copyFileSync(path.join(FIXTURE_DIR, 'microbit-panic-tinygo0.33.elf'), firmware);
    fs.utimesSync(firmware, new Date(), new Date(Date.now() + 5000));
    const second = await cache.load(firmware);
    assert.ok(second.ok);
    assert.notEqual(second, first);
    assert.equal(second.lookup.lookup(0xa15)?.line, 487);

    fs.writeFileSync(firmware, 'not firmware');
    const bad = await cache.load(firmware);
    assert.deepEqual(bad.ok ? 'ok' : bad.reason, 'not an ELF file (no \\x7fELF signature)');
    const gone = await cache.load(path.join(dir, 'missing.elf'));
    assert.deepEqual(gone.ok ? 'ok' : gone.reason, 'no such file');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
