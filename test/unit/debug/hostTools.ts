import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The program's absolute path when an executable of that name is on PATH. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return undefined;
}

/** A TCP port nobody listens on right now (the OS picks it; the caller binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Resolves once a socket listens on the port (Linux: /proc/net/tcp, state 0A), rejects after `ms`. It does not
 * connect to find out: QEMU's gdbstub resumes a `-S` machine when its client goes away, so a probe would start it.
 */
export async function waitForListener(port: number, ms: number): Promise<void> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const deadline = Date.now() + ms;
  for (;;) {
    const listening = ['/proc/net/tcp', '/proc/net/tcp6'].some((f) => {
      let text = '';
      try { text = fs.readFileSync(f, 'utf8'); } catch { return false; }
      return text.split('\n').some((line) => {
        const cols = line.trim().split(/\s+/);
        return cols[1]?.endsWith(`:${hexPort}`) === true && cols[3] === '0A';
      });
    });
    if (listening) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
