/**
 * Finding gopls: the setting, PATH, then where `go install` puts it (GOBIN, each GOPATH's bin, ~/go/bin). The
 * last three matter because VS Code started from a launcher rarely has GOPATH/bin on PATH.
 */
import * as path from 'node:path';
import { locateExecutable, type LocateDeps, type LocateResult } from '../tinygo/locate';

export function goInstallDirs(deps: Pick<LocateDeps, 'env' | 'homedir' | 'platform'>): string[] {
  const p = deps.platform === 'win32' ? path.win32 : path.posix;
  const dirs: string[] = [];
  if (deps.env.GOBIN) dirs.push(deps.env.GOBIN);
  const gopath = deps.env.GOPATH ?? '';
  for (const g of gopath.split(deps.platform === 'win32' ? ';' : ':')) if (g.trim() !== '') dirs.push(p.join(g.trim(), 'bin'));
  dirs.push(p.join(deps.homedir, 'go', 'bin'));
  return [...new Set(dirs)];
}

export function locateGopls(setting: string | undefined, deps: LocateDeps): Promise<LocateResult> {
  const p = deps.platform === 'win32' ? path.win32 : path.posix;
  const exe = deps.platform === 'win32' ? 'gopls.exe' : 'gopls';
  return locateExecutable({ name: 'gopls', setting, settingName: 'tinygo.gopls.path', usual: goInstallDirs(deps).map((d) => p.join(d, exe)) }, deps);
}

/** `go` itself, for installing gopls: PATH, then the official installers' locations. */
export function locateGo(deps: LocateDeps): Promise<LocateResult> {
  const usual = deps.platform === 'win32'
    ? ['C:\\Program Files\\Go\\bin\\go.exe', 'C:\\Go\\bin\\go.exe']
    : ['/usr/local/go/bin/go', '/opt/homebrew/bin/go', '/usr/local/bin/go', '/usr/lib/go/bin/go', '/snap/bin/go'];
  return locateExecutable({ name: 'go', settingName: 'go', usual }, deps);
}

/** The command that installs gopls, as an argument array (never a shell string). */
export const INSTALL_GOPLS_ARGS: readonly string[] = ['install', 'golang.org/x/tools/gopls@latest'];
