import * as vscode from 'vscode';
import { DEFAULT_TARGET_FACTS, type RuleSettings, type Severity, type TargetFacts } from '../core/analysis';

/** Every setting the extension reads, typed, in one place: no scattered getConfiguration calls. */
export class Config {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}
  private get cfg(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration('tinygo', this.scope); }

  get tinygoPath(): string { return this.cfg.get<string>('path', '').trim(); }
  get goplsPath(): string { return this.cfg.get<string>('gopls.path', '').trim(); }
  get languageServer(): 'auto' | 'own' | 'off' {
    const m = this.cfg.get<string>('languageServer', 'auto');
    return m === 'own' || m === 'off' ? m : 'auto';
  }
  get goplsTrace(): 'off' | 'messages' | 'verbose' {
    const t = this.cfg.get<string>('gopls.trace', 'off');
    return t === 'messages' || t === 'verbose' ? t : 'off';
  }
  get analysisEnabled(): boolean { return this.cfg.get<boolean>('analysis.enable', true); }
  get maxFileSize(): number { return this.cfg.get<number>('analysis.maxFileSize', 1024 * 1024); }
  get debounceMs(): number { return this.cfg.get<number>('analysis.debounceMs', 150); }
  get analysisScope(): 'openFiles' | 'workspace' { return this.cfg.get<string>('analysis.scope', 'openFiles') === 'workspace' ? 'workspace' : 'openFiles'; }

  get ruleSettings(): RuleSettings {
    const raw = this.cfg.get<Record<string, unknown>>('analysis.rules', {}) ?? {};
    const out: RuleSettings = {};
    for (const [id, v] of Object.entries(raw)) {
      if (v === false || v === 'off') out[id] = { enabled: false };
      else if (typeof v === 'string' && ['error', 'warning', 'information', 'hint'].includes(v)) out[id] = { severity: v as Severity };
    }
    return out;
  }

  /** Until the toolchain is known, the documented default, adjustable per setting. */
  get targetFacts(): TargetFacts {
    const o = this.cfg.get<Partial<TargetFacts>>('analysis.targetFacts', {}) ?? {};
    return { ...DEFAULT_TARGET_FACTS, ...o };
  }

  static affects(e: vscode.ConfigurationChangeEvent): boolean { return e.affectsConfiguration('tinygo'); }
}
