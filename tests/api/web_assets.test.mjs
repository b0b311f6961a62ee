// The built web client served at / (kaiwa serve --web-dir): hashed assets cached for a year, the
// page revalidated and guarded by a strict CSP, the client's own routes answered with the page,
// and nothing outside the directory reachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, tempDir } from './support/server.mjs';

let srv;
let webDir;
const PAGE = '<!doctype html><title>Kaiwa</title><script type="module" src="/assets/app-3f2a9c.js"></script>';

before(async () => {
  webDir = tempDir('kaiwa-web-');
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), PAGE);
  fs.writeFileSync(path.join(webDir, 'assets', 'app-3f2a9c.js'), 'export const app = 1;\n');
  fs.writeFileSync(path.join(webDir, 'assets', 'app-3f2a9c.css'), 'body{margin:0}\n');
  fs.writeFileSync(path.join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  srv = await startServer({ extraArgs: ['--web-dir', webDir] });
});

after(async () => {
  await srv?.stop();
  fs.rmSync(webDir, { recursive: true, force: true });
});

/** GET with the path sent exactly as written (no dot-segment clean-up). */
function rawGet(p) {
  const { hostname, port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: p }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

test('the page is revalidated on every load and carries a CSP without inline scripts', async () => {
  for (const p of ['/', '/index.html']) {
    const res = await rawGet(p);
    assert.equal(res.status, 200, p);
    assert.equal(res.body, PAGE);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    const csp = res.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
  }
});

test('hashed assets are cached for a year; other root files for an hour', async () => {
  const js = await rawGet('/assets/app-3f2a9c.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /^text\/javascript/);
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  const css = await rawGet('/assets/app-3f2a9c.css');
  assert.match(css.headers['content-type'], /^text\/css/);
  const icon = await rawGet('/favicon.svg');
  assert.equal(icon.status, 200);
  assert.equal(icon.headers['content-type'], 'image/svg+xml');
  assert.equal(icon.headers['cache-control'], 'public, max-age=3600');
});

test('the client\'s own routes get the page; missing files and API paths do not', async () => {
  for (const p of ['/rooms', '/rooms/12', '/rooms/12/messages/34', '/settings']) {
    const res = await rawGet(p);
    assert.equal(res.status, 200, p);
    assert.equal(res.body, PAGE, p);
  }
  for (const p of ['/assets/missing-1234.js', '/missing.png', '/kaiwa/v1/nothing', '/files/nothing']) {
    const res = await rawGet(p);
    assert.equal(res.status, 404, p);
    assert.ok(Array.isArray(JSON.parse(res.body).errors), `${p}: Chatwork error body`);
  }
  assert.equal((await rawGet('/v2/me')).status, 401, '/v2 stays the API');
});

test('nothing outside the web directory is reachable', async () => {
  fs.writeFileSync(path.join(path.dirname(webDir), 'outside-secret.txt'), 'secret');
  for (const p of ['/assets/../index.html', '/assets/../../outside-secret.txt', '/../outside-secret.txt',
    '/assets/%2e%2e/index.html', '/%2e%2e/outside-secret.txt', '/assets/.hidden', '/.env',
    '/assets/..%2f..%2foutside-secret.txt']) {
    const res = await rawGet(p);
    assert.ok(res.status === 404 || (res.status === 200 && res.body === PAGE), `${p}: ${res.status} ${res.body.slice(0, 40)}`);
    assert.ok(!res.body.includes('secret'), p);
  }
});

test('without a built client the page says how to build it', async () => {
  const bare = await startServer({ extraArgs: ['--web-dir', path.join(webDir, 'does-not-exist')] });
  try {
    const res = await fetch(`${bare.url}/`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build/);
  } finally {
    await bare.stop();
  }
});

/** A HEAD request: status, headers, and how many body bytes arrived (must be none). */
function rawHead(p) {
  const { hostname, port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    http.request({ hostname, port, path: p, method: 'HEAD' }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes }));
    }).on('error', reject).end();
  });
}

test('HEAD answers like GET without a body for the page, assets, client routes and probes', async () => {
  for (const p of ['/', '/index.html', '/assets/app-3f2a9c.js', '/favicon.svg', '/rooms/12', '/settings', '/healthz']) {
    const get = await rawGet(p);
    const head = await rawHead(p);
    assert.equal(head.status, get.status, p);
    assert.equal(head.bytes, 0, `${p}: no body`);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.body)), `${p}: the GET body's length`);
    for (const h of ['content-type', 'cache-control', 'content-security-policy']) {
      assert.equal(head.headers[h], get.headers[h], `${p}: ${h}`);
    }
  }
  assert.equal((await rawHead('/assets/missing-000.js')).status, 404);
  // The APIs keep 405: a GET there may have effects (fetching messages marks them fetched).
  assert.equal((await rawHead('/kaiwa/v1/session')).status, 405);
  assert.equal((await rawHead('/v2/me')).status, 401);
});
