import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The contributed grammars, tokenised with the same engine VS Code uses (vscode-textmate + oniguruma). The Go
 * grammar itself is not ours: a minimal stand-in scope for Go line comments is enough to host the injection.
 */
const GO_STUB = {
  scopeName: 'source.go',
  patterns: [{ begin: '//', end: '$', name: 'comment.line.double-slash.go' }, { match: '\\w+', name: 'source.word.go' }],
};

async function registry(): Promise<vsctm.Registry> {
  const wasm = fs.readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  return new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => {
      if (scope === 'source.go') return vsctm.parseRawGrammar(JSON.stringify(GO_STUB), 'go.json');
      const file = scope === 'source.tinygo-output' ? 'tinygo-output.tmLanguage.json' : scope === 'tinygo.directives.injection' ? 'tinygo-directives.injection.tmLanguage.json' : undefined;
      return file ? vsctm.parseRawGrammar(fs.readFileSync(path.join(root, 'syntaxes', file), 'utf8'), file) : null;
    },
    getInjections: (scope) => (scope === 'source.go' ? ['tinygo.directives.injection'] : undefined),
  });
}

function scopesOf(grammar: vsctm.IGrammar, line: string, needle: string): string[] {
  const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
  const at = line.indexOf(needle);
  return tokens.find((t) => t.startIndex <= at && at < t.endIndex)?.scopes ?? [];
}

const reg = registry();

void test('TinyGo directives in Go comments are highlighted, ordinary comments are not', async () => {
  const g = (await (await reg).loadGrammar('source.go'))!;
  assert.ok(scopesOf(g, '//go:extern __flash_start', 'go:extern').includes('keyword.control.directive.tinygo'));
  assert.ok(scopesOf(g, '//export tinygo_main', 'export').includes('keyword.control.directive.tinygo'));
  assert.ok(scopesOf(g, '//go:noheap', 'go:noheap').includes('keyword.control.directive.tinygo'));
  assert.ok(!scopesOf(g, '// export this value later', 'export').includes('keyword.control.directive.tinygo'));
  assert.ok(scopesOf(g, 'x := 1 // tinygo-workbench:ignore alloc -- why', 'tinygo-workbench:ignore').includes('keyword.other.suppression.tinygo'));
});

void test('the build output grammar marks errors, allocations and size rows', async () => {
  const g = (await (await reg).loadGrammar('source.tinygo-output'))!;
  assert.ok(scopesOf(g, '/home/u/p/main.go:23:12: object allocated on the heap: escapes at line 25', 'object').includes('markup.changed.allocation.tinygo'));
  assert.ok(scopesOf(g, 'types.go:5:6: cannot use "foobar" (untyped string constant) as int value', 'cannot').includes('invalid.illegal.message.tinygo'));
  assert.ok(scopesOf(g, 'program too large for this chip (flash overflowed by 1234 bytes)', 'program').includes('invalid.illegal.error.tinygo'));
  assert.ok(scopesOf(g, '   2864     165       8     392 |    3037     400 | machine', '2864').includes('constant.numeric.size-row.tinygo'));
  assert.ok(scopesOf(g, '# command-line-arguments', 'command').includes('entity.name.section.package.tinygo'));
});
