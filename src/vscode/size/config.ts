import * as vscode from 'vscode';

/** The `tinygo.size.*` settings, typed, read in one place. */
export class SizeConfig {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}
  private get cfg(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration('tinygo', this.scope); }

  get openAfterBuild(): boolean { return this.cfg.get<boolean>('size.openAfterBuild', false); }
  get flashBudget(): string { return (this.cfg.get<string>('size.flashBudget', '') ?? '').trim(); }
  get ramBudget(): string { return (this.cfg.get<string>('size.ramBudget', '') ?? '').trim(); }

  static affects(e: vscode.ConfigurationChangeEvent): boolean { return e.affectsConfiguration('tinygo.size'); }
}
