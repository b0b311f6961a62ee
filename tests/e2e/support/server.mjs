// Starts a real `kaiwa serve` for the browser tests: temp data dir, port 0 (or a given port, to
// restart on the same address), the built client from web/dist; and the admin CLI.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const kaiwaBin = process.env.KAIWA_BIN || path.join(repoRoot, 'build', 'kaiwa');
export const webDir = process.env.KAIWA_WEB_DIR || path.join(repoRoot, 'web', 'dist');

const live = new Set();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kaiwa-e2e-'));
}

export function requireBuilt() {
  if (!fs.existsSync(kaiwaBin)) throw new Error(`no kaiwa at ${kaiwaBin}: build it (cmake --build build) or set KAIWA_BIN`);
  if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error(`no built client in ${webDir}: run (cd web && npm ci && npm run build)`);
}

/** Runs kaiwa serve; resolves {url, port, dataDir, stop()} once it printed its ready line. */
export async function startServer({ dataDir = tempDir(), port = 0 } = {}) {
  requireBuilt();
  const args = ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, '--web-dir', webDir, '--rate-limit', '100000'];
  const proc = spawn(kaiwaBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  const stderr = [];
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    stderr.push(d);
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`kaiwa not ready in 20 s: ${stderr.join('')}`)), 20000);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kaiwa exited (${code}): ${stderr.join('')}`)); });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const msg = JSON.parse(line);
          if (msg.event === 'ready') { clearTimeout(timer); resolve(msg.url.replace(/\/+$/, '')); }
        } catch { /* not JSON */ }
      }
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    stderr: () => stderr.join(''),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(t);
      }
      live.delete(proc);
    },
  };
}

/** `kaiwa admin --data DIR ...args` → its JSON output. */
export function admin(dataDir, ...args) {
  return new Promise((resolve, reject) => {
    execFile(kaiwaBin, ['admin', '--data', dataDir, ...args.map(String)], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`kaiwa admin ${args.join(' ')}: ${stderr || err.message}`));
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]));
    });
  });
}

/** Calls /v2 with an API token (setting up rooms and messages outside the browser). */
export async function v2(url, token, method, p, form) {
  const res = await fetch(`${url}/v2${p}`, {
    method,
    headers: { 'X-ChatWorkToken': token, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
