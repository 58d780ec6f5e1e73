/**
 * Finding an executable the way users expect: an explicit setting first, then PATH, then the places installers
 * put it. VS Code started from a desktop launcher often has a shorter PATH than the user's shell, which is why the
 * usual install locations are searched at all. File-system access is injected so tests run on any OS.
 */
import * as path from 'node:path';

export interface LocateDeps {
  /** True when `p` is an existing regular file that may be executed. */
  isExecutable(p: string): Promise<boolean>;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

export type LocateSource = 'setting' | 'PATH' | 'usual location';

export interface LocateResult {
  found?: { path: string; source: LocateSource };
  /** Every path looked at, in order (for the "not found" message and the log). */
  searched: string[];
  /** Set when the setting names something that is not an executable: then nothing else is tried. */
  settingProblem?: string;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `~`, `~/x`, `${env:NAME}` and `%NAME%` in a user-written path. */
export function expandPath(p: string, deps: Pick<LocateDeps, 'env' | 'homedir' | 'platform'>): string {
  let out = p.trim();
  out = out.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, n: string) => deps.env[n] ?? '');
  if (deps.platform === 'win32') out = out.replace(/%([A-Za-z_][A-Za-z0-9_]*)%/g, (m, n: string) => deps.env[n] ?? m);
  if (out === '~') return deps.homedir;
  if (out.startsWith('~/') || out.startsWith('~\\')) return pathApi(deps.platform).join(deps.homedir, out.slice(2));
  return out;
}

/** File names to try for `name` in one directory: on Windows with each PATHEXT extension. */
export function executableNames(name: string, deps: Pick<LocateDeps, 'env' | 'platform'>): string[] {
  if (deps.platform !== 'win32' || /\.[A-Za-z0-9]+$/.test(name)) return [name];
  const exts = (deps.env.PATHEXT ?? deps.env.Pathext ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e !== '').map((e) => e.toLowerCase());
  return exts.includes('.exe') ? exts.map((e) => name + e) : ['.exe', ...exts].map((e) => name + e);
}

/** The directories of PATH, in order, without empty entries or repeats. */
export function pathDirs(deps: Pick<LocateDeps, 'env' | 'platform'>): string[] {
  const raw = deps.env.PATH ?? deps.env.Path ?? deps.env.path ?? '';
  const sep = deps.platform === 'win32' ? ';' : ':';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of raw.split(sep)) {
    const dir = d.trim().replace(/^"(.*)"$/, '$1');
    if (dir !== '' && !seen.has(dir)) {
      seen.add(dir);
      out.push(dir);
    }
  }
  return out;
}

/** Where the TinyGo installers and package managers put the binary, per OS (tinygo.org/getting-started/install). */
export function usualTinygoLocations(deps: Pick<LocateDeps, 'env' | 'homedir' | 'platform'>): string[] {
  const p = pathApi(deps.platform);
  const home = deps.homedir;
  switch (deps.platform) {
    case 'win32': {
      const out = ['C:\\tinygo\\bin\\tinygo.exe', p.join(home, 'tinygo', 'bin', 'tinygo.exe')];
      if (deps.env.ProgramFiles) out.push(p.join(deps.env.ProgramFiles, 'tinygo', 'bin', 'tinygo.exe'));
      out.push(p.join(home, 'scoop', 'shims', 'tinygo.exe'));
      out.push(p.join(deps.env.ProgramData ?? 'C:\\ProgramData', 'chocolatey', 'bin', 'tinygo.exe'));
      return out;
    }
    case 'darwin':
      return ['/opt/homebrew/bin/tinygo', '/usr/local/bin/tinygo', '/opt/homebrew/opt/tinygo/bin/tinygo',
        '/usr/local/opt/tinygo/bin/tinygo', '/usr/local/tinygo/bin/tinygo', p.join(home, 'tinygo', 'bin', 'tinygo')];
    default:
      return ['/usr/local/bin/tinygo', '/usr/local/tinygo/bin/tinygo', p.join(home, 'tinygo', 'bin', 'tinygo'),
        '/usr/bin/tinygo', '/opt/tinygo/bin/tinygo', p.join(home, '.local', 'bin', 'tinygo'), '/snap/bin/tinygo'];
  }
}

export interface LocateRequest {
  /** Bare program name, e.g. `tinygo` or `gopls`. */
  name: string;
  /** The setting's value (empty: not set). */
  setting?: string;
  /** The setting's id for messages, e.g. `tinygo.path`. */
  settingName: string;
  /** Full paths tried after PATH. */
  usual?: readonly string[];
}

/**
 * An explicit setting is honoured or reported, never silently replaced by another copy found elsewhere: the user
 * set it for a reason (a second TinyGo release, a wrapper script). A setting naming a directory is accepted too.
 */
export async function locateExecutable(req: LocateRequest, deps: LocateDeps): Promise<LocateResult> {
  const p = pathApi(deps.platform);
  const searched: string[] = [];
  const setting = req.setting ? expandPath(req.setting, deps) : '';
  if (setting !== '') {
    const tries = [setting, ...executableNames(req.name, deps).map((n) => p.join(setting, n))];
    if (deps.platform === 'win32' && !/\.[A-Za-z0-9]+$/.test(setting)) tries.splice(1, 0, `${setting}.exe`);
    for (const t of tries) {
      searched.push(t);
      if (await deps.isExecutable(t)) return { found: { path: t, source: 'setting' }, searched };
    }
    return { searched, settingProblem: `${req.settingName} is set to "${req.setting}", but no ${req.name} executable is there.` };
  }
  for (const dir of pathDirs(deps)) {
    for (const n of executableNames(req.name, deps)) {
      const t = p.join(dir, n);
      searched.push(t);
      if (await deps.isExecutable(t)) return { found: { path: t, source: 'PATH' }, searched };
    }
  }
  for (const t of req.usual ?? []) {
    if (searched.includes(t)) continue;
    searched.push(t);
    if (await deps.isExecutable(t)) return { found: { path: t, source: 'usual location' }, searched };
  }
  return { searched };
}

export function locateTinygo(setting: string | undefined, deps: LocateDeps): Promise<LocateResult> {
  return locateExecutable({ name: 'tinygo', setting, settingName: 'tinygo.path', usual: usualTinygoLocations(deps) }, deps);
}
