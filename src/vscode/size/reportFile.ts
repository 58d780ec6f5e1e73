/** The JSON report beside the firmware (docs/size-report-schema.md): written after each build, read to reopen. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseJsonReport, toJsonReport, type SizeReport } from '../../core/size/model';

export const REPORT_SUFFIX = '.size.json';

/** `build/blinky.uf2` -> `build/blinky.size.json`; `build/blinky` -> `build/blinky.size.json`. */
export function reportPathFor(firmware: string): string {
  const ext = path.extname(firmware);
  return (ext ? firmware.slice(0, -ext.length) : firmware) + REPORT_SUFFIX;
}

export type ReadResult = { report: SizeReport; text: string } | { missing: true } | { error: string };

export function readReport(file: string): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true } : { error: `${file}: ${(e as Error).message}` };
  }
  const r = parseJsonReport(text);
  return r.ok ? { report: r.report, text } : { error: `${file}: ${r.error}` };
}

/** Written to a temporary name and renamed, so a reader (CI, the file watcher) never sees half a report. */
export function writeReport(file: string, report: SizeReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, toJsonReport(report));
  fs.renameSync(tmp, file);
}

/** The most recently written report in the workspace, if any. */
export async function findLatestReport(): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(`**/*${REPORT_SUFFIX}`, '**/{node_modules,.git}/**', 200);
  let best: { file: string; mtime: number } | undefined;
  for (const u of files) {
    if (u.scheme !== 'file') continue;
    try {
      const mtime = fs.statSync(u.fsPath).mtimeMs;
      if (!best || mtime > best.mtime) best = { file: u.fsPath, mtime };
    } catch {
      /* gone meanwhile */
    }
  }
  return best?.file;
}
