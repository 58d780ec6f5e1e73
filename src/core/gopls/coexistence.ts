/**
 * Who runs gopls. The rule that matters: never two gopls on the same files (duplicate diagnostics, double the
 * memory, two views with different build tags fighting over the same Problems entries). With the Go extension
 * present its gopls is reconfigured through the `gopls` settings, which it passes on without a restart; without
 * it, this extension runs its own.
 */

export type LanguageServerMode = 'auto' | 'own' | 'off';

export interface CoexistenceInput {
  mode: LanguageServerMode;
  goExtension: {
    installed: boolean;
    /** `go.useLanguageServer` as the user has it (the Go extension's default is true). */
    useLanguageServer: boolean;
  };
  trusted: boolean;
  goplsFound: boolean;
}

export interface CoexistenceDecision {
  /** Start (or keep) our LanguageClient. */
  runOwn: boolean;
  /** Write the target's environment into the `gopls` settings the Go extension's gopls reads. */
  configureGoExtension: boolean;
  /** Our gopls is wanted but not installed: offer `go install` (trusted workspaces only). */
  offerInstallGopls: boolean;
  /** The user asked for our gopls while the Go extension runs its own: offer to turn the Go extension's off here. */
  offerDisableGoLanguageServer: boolean;
  /** Shown once, not on every evaluation. */
  warnings: string[];
}

const NOTHING: CoexistenceDecision = { runOwn: false, configureGoExtension: false, offerInstallGopls: false, offerDisableGoLanguageServer: false, warnings: [] };

export function decideCoexistence(input: CoexistenceInput): CoexistenceDecision {
  if (!input.trusted || input.mode === 'off') return { ...NOTHING, warnings: [] };
  const goRunsGopls = input.goExtension.installed && input.goExtension.useLanguageServer;
  if (input.mode === 'auto') {
    if (goRunsGopls) return { ...NOTHING, configureGoExtension: true, warnings: [] };
    return { ...NOTHING, runOwn: input.goplsFound, offerInstallGopls: !input.goplsFound, warnings: [] };
  }
  // mode 'own'
  if (goRunsGopls) {
    return {
      ...NOTHING, offerDisableGoLanguageServer: true,
      warnings: ['"tinygo.languageServer" is "own", but the Go extension runs gopls for the same files. TinyGo Workbench does not ' +
        'start a second gopls: set "go.useLanguageServer": false in this workspace, or set "tinygo.languageServer" to "auto" ' +
        'to let the Go extension\'s gopls use the target\'s environment.'],
    };
  }
  return { ...NOTHING, runOwn: input.goplsFound, offerInstallGopls: !input.goplsFound, warnings: [] };
}
