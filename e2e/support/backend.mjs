// Starts the real backend binary in sandbox mode, serving the real release build from dist/.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outputDir = process.env.TEST_OUTPUT ?? path.join(repoRoot, 'test-output');
/** Every backend's log and every API answer the browser got, for the end-of-run secrets scan. */
export const recordDir = path.join(outputDir, 'e2e');
mkdirSync(recordDir, { recursive: true });

/** Records an API answer the browser received (not the endless event stream). */
export async function recordResponse(response) {
  if (!response.url().includes('/api/')) return;
  if ((response.headers()['content-type'] ?? '').includes('text/event-stream')) return;
  let body = '';
  try { body = await response.text(); } catch { return; /* the page went away first */ }
  const line = JSON.stringify({ url: response.url(), status: response.status(), headers: response.headers(), body });
  appendFileSync(path.join(recordDir, 'responses.ndjson'), line + '\n');
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startBackend(options = {}) {
  // The port is free when picked but may be taken before the backend binds it: pick another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBackendOnce(options);
    } catch (err) {
      if (attempt >= 3 || !String(err.message).includes('Address already in use')) throw err;
    }
  }
}

async function startBackendOnce({ extraArgs = [], env = {} } = {}) {
  const port = await freePort();
  const bin = path.join(repoRoot, 'target', 'debug', 'callout-console');
  const logs = [];
  // Each backend gets its own database: jobs and idempotency keys must not leak between runs.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'callout-e2e-data-'));
  const child = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`, '--static-dir', path.join(repoRoot, 'dist'), ...extraArgs], {
    // Debug level for the console's own lines: the secrets scan reads them too.
    env: { ...process.env, RUST_LOG: 'info,callout_console=debug', CALLOUT__SERVER__DATA_DIR: JSON.stringify(dataDir), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(d.toString()));
  child.stderr.on('data', (d) => logs.push(d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`backend exited early:\n${logs.join('')}`);
    }
    try {
      const response = await fetch(`${base}/api/v1/health`);
      if (response.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`backend did not answer on ${base}:\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    logs,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      writeFileSync(path.join(recordDir, `backend-${port}.log`), logs.join(''));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
