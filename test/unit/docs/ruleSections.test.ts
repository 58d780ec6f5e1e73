import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleLine, sectionAt, sections, slugOf } from '../../../src/core/docs/ruleSections';

// Tests run from out/test/unit/docs; the page is read from the source tree.
const RULES = fs.readFileSync(path.resolve(__dirname, '../../../../docs/rules.md'), 'utf8');
const RULE_IDS = [...RULES.matchAll(/^## ([a-z0-9-]+)\s*$/gm)].map((m) => m[1]);

void test('every rule of docs/rules.md has a line, and the section at that line is the rule (the link round trip)', () => {
  assert.ok(RULE_IDS.length >= 20, `rules found: ${RULE_IDS.length}`);
  assert.ok(RULE_IDS.includes('reflect-unsupported') && RULE_IDS.includes('alloc-goroutine'));
  const lines = RULES.split('\n');
  for (const id of RULE_IDS) {
    const line = ruleLine(RULES, id);
    assert.ok(line !== undefined, id);
    assert.equal(lines[line].trim(), `## ${id}`);
    assert.equal(sectionAt(RULES, line), id);
    // A line inside the section, before the next heading, belongs to it too.
    assert.equal(sectionAt(RULES, line + 1), id);
  }
  assert.equal(ruleLine(RULES, 'no-such-rule'), undefined);
});

void test('headings in fenced code, setext-less text, odd spacing and CRLF are handled as the preview does', () => {
  const md = '# Title\r\n\r\n```go\r\n# not a heading\r\n```\r\n## alloc-map ##\r\ntext\r\n   ### Deep, heading!\r\n####### seven\r\n#nospace\r\n';
  assert.deepEqual(sections(md).map((s) => [s.slug, s.line, s.level]), [['title', 0, 1], ['alloc-map', 5, 2], ['deep-heading', 7, 3]]);
  assert.equal(sectionAt(md, 3), 'title');
  assert.equal(sectionAt(md, 6), 'alloc-map');
  assert.equal(sectionAt('', 0), undefined);
  assert.equal(sectionAt('text\n# A', 0), undefined);
  assert.equal(slugOf('Heap allocations'), 'heap-allocations');
  assert.equal(slugOf('sync.Pool misuse'), 'syncpool-misuse');
  assert.deepEqual(sections('\u0000\n# \n##\n'), []);
});
