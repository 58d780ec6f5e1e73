/**
 * TinyGo's target files of the installed tinygo, for "New Project" and the debug configurations: a board's
 * resolved spec (build tags, probe) without running `tinygo info` for a board that is not yet any folder's target.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TargetSpec } from '../../core/tinygo/info';
import { tinygoRoot } from '../../core/tinygo/root';
import { TargetFileResolver } from '../../core/tinygo/targetFiles';
import type { ExecFn } from '../../core/process/exec';
import type { ToolchainApi } from '../services';
import { resolveTinygo } from '../tinygo';

export interface BoardFiles {
  readonly tinygo: string;
  /** TINYGOROOT (the SVD files are under it). */
  readonly root: string;
  spec(target: string): TargetSpec | undefined;
  /** Every target name (targets/*.json). */
  names(): string[];
}

/** The installed tinygo's target files, or why there are none (already worded for the user). */
export async function boardFiles(toolchain: ToolchainApi, exec: ExecFn): Promise<BoardFiles | { message: string }> {
  const t = await resolveTinygo(toolchain);
  if ('message' in t) return t;
  const root = await tinygoRoot(exec, t.path);
  if (!root) return { message: `\`${t.path} env TINYGOROOT\` gave no TINYGOROOT, so the target files cannot be read.` };
  const dir = path.join(root, 'targets');
  const resolver = new TargetFileResolver((name) => {
    try { return fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'); } catch { return undefined; }
  });
  let names: string[] | undefined;
  return {
    tinygo: t.path,
    root,
    spec: (target) => resolver.spec(target),
    names: () => {
      try {
        names ??= fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
      } catch {
        names = [];
      }
      return names;
    },
  };
}
