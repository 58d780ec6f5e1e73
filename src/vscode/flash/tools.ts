/** Whether a program is on PATH, as the flasher tinygo starts will look it up. No process is started. */
import { constants as fsc, promises as fsp } from 'node:fs';
import * as path from 'node:path';

export async function onPath(tool: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  if (tool.includes('/') || tool.includes('\\')) return (await executable(tool)) ? tool : undefined;
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').concat('') : [''];
  for (const d of dirs) {
    for (const e of exts) {
      const p = path.join(d, tool + e);
      if (await executable(p)) return p;
    }
  }
  return undefined;
}

async function executable(p: string): Promise<boolean> {
  try {
    const st = await fsp.stat(p);
    if (!st.isFile()) return false;
    await fsp.access(p, process.platform === 'win32' ? fsc.F_OK : fsc.X_OK);
    return true;
  } catch {
    return false;
  }
}
