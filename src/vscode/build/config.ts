import * as vscode from 'vscode';
import type { BuildSettings } from '../../core/build';

/** The `tinygo.build.*` settings of one workspace folder, typed, read in one place. */
export class BuildConfig {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}
  private get cfg(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration('tinygo', this.scope); }

  get tinygoPath(): string { return this.cfg.get<string>('path', '').trim(); }
  get package(): string { return this.cfg.get<string>('build.package', '').trim(); }
  get timeoutSeconds(): number {
    const v = Number(this.cfg.get<number>('build.timeoutSeconds', 600));
    return Number.isFinite(v) && v >= 0 ? v : 600;
  }

  get settings(): BuildSettings {
    const c = this.cfg;
    const extra = c.get<unknown>('build.extraArgs', []);
    return {
      outputDir: c.get<string>('build.outputDir', 'build'),
      opt: c.get<string>('build.opt', ''),
      gc: c.get<string>('build.gc', ''),
      scheduler: c.get<string>('build.scheduler', ''),
      stackSize: c.get<string>('build.stackSize', ''),
      tags: c.get<string | string[]>('build.tags', ''),
      extraArgs: Array.isArray(extra) ? extra.filter((a): a is string => typeof a === 'string') : [],
      printAllocs: c.get<boolean>('build.printAllocs', true),
    };
  }
}
