import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkFixture, fixtureFiles, FIXTURES, formatResult, testEngine } from './harness';

const files = fixtureFiles();

void test('there are fixtures', () => {
  assert.ok(files.length > 0, `no .go files under ${FIXTURES}`);
});

for (const file of files) {
  const rel = path.relative(FIXTURES, file);
  void test(`fixture ${rel}`, async () => {
    const e = await testEngine();
    const r = checkFixture(e, fs.readFileSync(file, 'utf8'));
    assert.equal(r.missing.length + r.unexpected.length, 0, '\n' + formatResult(rel, r));
  });
}
