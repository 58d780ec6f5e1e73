import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCoexistence, type CoexistenceInput, type LanguageServerMode } from '../../../src/core/gopls/coexistence';

type Row = [LanguageServerMode, boolean /* go ext installed */, boolean /* go.useLanguageServer */, boolean /* trusted */, boolean /* gopls found */,
  { runOwn: boolean; configureGoExtension: boolean; offerInstallGopls: boolean; offerDisableGoLanguageServer: boolean; warn: boolean }];

const F = false;
const T = true;
const TABLE: Row[] = [
  // auto: the Go extension's gopls is reconfigured when it runs one; otherwise ours runs.
  ['auto', T, T, T, T, { runOwn: F, configureGoExtension: T, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['auto', T, T, T, F, { runOwn: F, configureGoExtension: T, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['auto', T, F, T, T, { runOwn: T, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['auto', F, T, T, T, { runOwn: T, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['auto', F, T, T, F, { runOwn: F, configureGoExtension: F, offerInstallGopls: T, offerDisableGoLanguageServer: F, warn: F }],
  // own: never a second gopls next to the Go extension's.
  ['own', T, T, T, T, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: T, warn: T }],
  ['own', T, F, T, T, { runOwn: T, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['own', F, T, T, T, { runOwn: T, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['own', F, T, T, F, { runOwn: F, configureGoExtension: F, offerInstallGopls: T, offerDisableGoLanguageServer: F, warn: F }],
  // off: hands off gopls entirely.
  ['off', T, T, T, T, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['off', F, T, T, T, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  // untrusted: nothing runs and nothing is offered, whatever the mode.
  ['auto', F, T, F, T, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['own', F, T, F, F, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
  ['auto', T, T, F, T, { runOwn: F, configureGoExtension: F, offerInstallGopls: F, offerDisableGoLanguageServer: F, warn: F }],
];

for (const [mode, installed, useLanguageServer, trusted, goplsFound, want] of TABLE) {
  void test(`coexistence: ${mode}, go ext ${installed ? 'installed' : 'absent'}${installed ? `, useLanguageServer ${useLanguageServer}` : ''}, ` +
    `${trusted ? 'trusted' : 'untrusted'}, gopls ${goplsFound ? 'found' : 'missing'}`, () => {
    const input: CoexistenceInput = { mode, goExtension: { installed, useLanguageServer }, trusted, goplsFound };
    const d = decideCoexistence(input);
    assert.deepEqual({ runOwn: d.runOwn, configureGoExtension: d.configureGoExtension, offerInstallGopls: d.offerInstallGopls,
      offerDisableGoLanguageServer: d.offerDisableGoLanguageServer, warn: d.warnings.length > 0 }, want);
    // The invariant the table exists for.
    assert.ok(!(d.runOwn && installed && useLanguageServer), 'two gopls on the same files');
  });
}
