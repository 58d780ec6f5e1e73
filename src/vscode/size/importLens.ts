/**
 * Costs where the code is: a CodeLens on each import line of a Go file with what the package costs in the last
 * build's firmware, and on each function its code size. Nothing before the first build (of this window) and
 * nothing with `tinygo.size.importCosts` off; refreshed after each build.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findModule, nodeFs, readPackageClause } from '../../core/build/package';
import type { ElfSizeReport } from '../../core/elf';
import { funcLensText, goFuncs, goImports, importLensText, symbolMatcher } from '../../core/size/importCosts';
import { Config } from '../config';

export const SHOW_SIZE_REPORT = 'tinygo.showSizeReport';

export class ImportCostLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private elf: ElfSizeReport | undefined;

  /** A new build's symbols (undefined: none to show). */
  update(elf: ElfSizeReport | undefined): void {
    this.elf = elf;
    this.changed.fire();
  }

  /** The setting changed. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const elf = this.elf;
    if (!elf || doc.uri.scheme !== 'file' || !Config.of(vscode.workspace.getWorkspaceFolder(doc.uri)).size.importCosts()) return [];
    const text = doc.getText();
    const packages = new Map(elf.packages.map((p) => [p.package, p]));
    const lens = (line: number, title: string, tooltip: string) =>
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, tooltip, command: SHOW_SIZE_REPORT });
    const out: vscode.CodeLens[] = [];
    for (const imp of goImports(text)) {
      out.push(lens(imp.line, importLensText(imp.path, packages.get(imp.path)), `${imp.path} in the last build (${path.basename(elf.file)}): its own code and data, not what it imports`));
    }
    const pkg = this.packageOf(doc.uri.fsPath, text);
    if (pkg) {
      const own = elf.symbols.filter((s) => !s.gap && s.package === pkg);
      for (const fn of goFuncs(text)) {
        const match = symbolMatcher(pkg, fn.name);
        const bytes = own.reduce((n, s) => n + (match(s.name) ? s.size : 0), 0);
        // A function the linker dropped (or inlined everywhere) has no symbol: say nothing rather than "0 B".
        if (bytes > 0) out.push(lens(fn.line, funcLensText(bytes), `${pkg}.${fn.name} and its closures in the last build`));
      }
    }
    return out;
  }

  /** The import path TinyGo names the file's package by: `main` for a command, else module path + directory. */
  private packageOf(file: string, text: string): string | undefined {
    const clause = readPackageClause(text);
    if (!clause) return undefined;
    if (clause === 'main') return 'main';
    const mod = findModule(path.dirname(file), nodeFs);
    if (!mod) return undefined;
    const rel = path.relative(mod.dir, path.dirname(file)).split(path.sep).join('/');
    return rel === '' ? mod.path : rel.startsWith('..') ? undefined : `${mod.path}/${rel}`;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
