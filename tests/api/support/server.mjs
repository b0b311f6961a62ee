// Test harness: start/stop a kaiwa server on a temp data dir (port 0), run the
// admin CLI, and talk to the HTTP API through a wrapper that checks every
// response centrally (RAML schema for 2xx JSON, empty 204, error shape for 4xx,
// X-RateLimit-* headers on /v2).

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import assert from 'node:assert/strict';
import { kaiwaBin, requireBinary } from './paths.mjs';
import { schemas } from './schema.mjs';

export { kaiwaBin, requireBinary };

const live = new Set();
process.on('exit', () => {
  for (const s of live) {
    try { s.proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export function tempDir(prefix = 'kaiwa-api-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function tail(lines, n = 60) {
  return lines.slice(-n).join('\n');
}

/**
 * Start `kaiwa serve`. Resolves once the ready line was printed.
 * opts: dataDir, rateLimit (default 100000 so ordinary tests never hit 429;
 * pass null to use the server default), rateWindowSeconds, publicUrl, extraArgs,
 * keepData (do not delete the data dir on stop), readyTimeoutMs.
 */
export async function startServer(opts = {}) {
  const bin = requireBinary();
  const dataDir = opts.dataDir ?? tempDir();
  const ownsDir = opts.dataDir === undefined && !opts.keepData;
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0'];
  const rateLimit = opts.rateLimit === undefined ? 100000 : opts.rateLimit;
  if (rateLimit !== null) args.push('--rate-limit', String(rateLimit));
  if (opts.rateWindowSeconds != null) args.push('--rate-window-seconds', String(opts.rateWindowSeconds));
  if (opts.publicUrl) args.push('--public-url', opts.publicUrl);
  if (opts.extraArgs) args.push(...opts.extraArgs);

  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrLines = [];
  const stdoutLines = [];
  proc.stderr.setEncoding('utf8');
  let errBuf = '';
  proc.stderr.on('data', (d) => {
    errBuf += d;
    const parts = errBuf.split('\n');
    errBuf = parts.pop();
    stderrLines.push(...parts);
    if (stderrLines.length > 2000) stderrLines.splice(0, stderrLines.length - 1000);
    if (process.env.KAIWA_TEST_VERBOSE) for (const l of parts) process.stderr.write(`[kaiwa] ${l}\n`);
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));

  const server = {
    proc,
    dataDir,
    url: null,
    port: null,
    exited,
    args,
    stderr: () => tail(stderrLines.concat(errBuf ? [errBuf] : [])),
    stdout: () => stdoutLines.join('\n'),
    async stop({ removeData = ownsDir } = {}) {
      live.delete(server);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
        await exited;
        clearTimeout(t);
      }
      if (removeData) fs.rmSync(dataDir, { recursive: true, force: true });
      return exited;
    },
    async kill9() {
      live.delete(server);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return exited;
    },
    api(token, o) { return new Api(server.url, token, o); },
    admin(...a) { return admin(dataDir, ...a); },
  };

  await new Promise((resolve, reject) => {
    let outBuf = '';
    const timer = setTimeout(() => {
      try { proc.kill('SIGKILL'); } catch { /* gone */ }
      reject(new Error(`kaiwa did not print its ready line within ${opts.readyTimeoutMs ?? 20000} ms.\nargs: ${args.join(' ')}\nstdout: ${outBuf}\nstderr:\n${server.stderr()}`));
    }, opts.readyTimeoutMs ?? 20000);
    proc.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot spawn ${bin}: ${e.message}`)); });
    proc.on('exit', (code, signal) => {
      if (server.url) return;
      clearTimeout(timer);
      reject(new Error(`kaiwa exited (code ${code}, signal ${signal}) before it was ready.\nargs: ${args.join(' ')}\nstdout: ${outBuf}\nstderr:\n${server.stderr()}`));
    });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      outBuf += d;
      let i;
      while ((i = outBuf.indexOf('\n')) >= 0) {
        const line = outBuf.slice(0, i).trim();
        outBuf = outBuf.slice(i + 1);
        if (!line) continue;
        stdoutLines.push(line);
        if (server.url) continue;
        let msg;
        try { msg = JSON.parse(line); } catch { continue; }
        if (msg && msg.event === 'ready' && typeof msg.url === 'string') {
          server.url = msg.url.replace(/\/+$/, '');
          server.port = Number(new URL(server.url).port);
          clearTimeout(timer);
          resolve();
        }
      }
    });
  });
  live.add(server);
  return server;
}

/** Run `kaiwa admin --data DIR ...args`, parse its one JSON object. */
export function admin(dataDir, ...args) {
  const bin = requireBinary();
  const argv = ['admin', '--data', dataDir, ...args.map(String)];
  return new Promise((resolve, reject) => {
    execFile(bin, argv, { timeout: 30000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`kaiwa ${argv.join(' ')} failed (${err.code ?? err.signal}): ${stderr || err.message}\nstdout: ${stdout}`));
        return;
      }
      const text = stdout.trim();
      const lines = text.split('\n').filter((l) => l.trim());
      try {
        resolve(JSON.parse(lines.length > 1 ? lines[lines.length - 1] : text));
      } catch {
        reject(new Error(`kaiwa ${argv.join(' ')} did not print JSON: ${JSON.stringify(stdout)}\nstderr: ${stderr}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------
// HTTP client wrapper

function encodeValue(v) {
  if (v === true) return '1';
  if (v === false) return '0';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/** object | URLSearchParams | [[k,v],...] | string → URLSearchParams-encoded string */
export function formEncode(form) {
  if (form == null) return '';
  if (typeof form === 'string') return form;
  if (form instanceof URLSearchParams) return form.toString();
  const p = new URLSearchParams();
  const entries = Array.isArray(form) ? form : Object.entries(form);
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    p.append(k, encodeValue(v));
  }
  return p.toString();
}

function isV2(p) {
  return p === '/v2' || p.startsWith('/v2/');
}

function shortBody(text) {
  if (text == null) return '';
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}

/** Central response checks: no response escapes validation. */
export function checkResponse(res) {
  const where = `${res.method} ${res.path} → ${res.status}`;
  const v2 = isV2(res.path);
  const kaiwaExt = res.path.startsWith('/kaiwa/');
  if (res.status >= 200 && res.status < 300) {
    if (res.status === 204) {
      assert.equal(res.text, '', `${where}: a 204 response must have an empty body, got ${shortBody(res.text)}`);
      return;
    }
    if (!(v2 || kaiwaExt)) return; // e.g. download URLs, /healthz
    const ct = res.headers['content-type'] || '';
    assert.match(ct, /application\/json/i, `${where}: expected a JSON content-type, got "${ct}"`);
    assert.ok(res.jsonError === undefined, `${where}: body is not valid JSON (${res.jsonError}): ${shortBody(res.text)}`);
    const { route, errors } = schemas().validate(res.method, res.path, res.json);
    assert.ok(route, `${where}: 2xx answer on a route that is not in the RAML contract`);
    assert.ok(!errors, `${where}: response does not match the RAML schema of ${route?.method} ${route?.template}:\n  ${(errors || []).join('\n  ')}\nbody: ${shortBody(res.text)}`);
  } else if (res.status >= 400 && res.status < 500 && (v2 || kaiwaExt)) {
    assert.ok(res.jsonError === undefined && res.json && typeof res.json === 'object' && !Array.isArray(res.json),
      `${where}: error body must be a JSON object {"errors":[...]}, got ${shortBody(res.text)}`);
    assert.ok(Array.isArray(res.json.errors) && res.json.errors.length > 0 && res.json.errors.every((e) => typeof e === 'string'),
      `${where}: error body must be {"errors":[non-empty list of strings]}, got ${shortBody(res.text)}`);
  }
  // 401 has no token to count against, and 413 is refused from the headers before the request
  // reaches authentication (the body is never read), so neither carries the rate-limit headers.
  if (v2 && res.status !== 401 && res.status !== 413 && res.checkRateHeaders !== false) {
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.ok(res.headers[h] !== undefined, `${where}: missing ${h} header`);
      assert.match(res.headers[h], /^\d+$/, `${where}: ${h} must be a non-negative integer, got "${res.headers[h]}"`);
    }
  }
}

export class Api {
  /**
   * @param baseUrl  e.g. http://127.0.0.1:12345
   * @param token    API token (may be undefined)
   * @param o.authStyle 'x-chatworktoken' (default) | 'bearer' | 'none'
   */
  constructor(baseUrl, token, o = {}) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.authStyle = o.authStyle ?? 'x-chatworktoken';
    this.log = [];
  }

  withToken(token, o = {}) {
    return new Api(this.baseUrl, token, { authStyle: this.authStyle, ...o });
  }

  fullPath(p) {
    if (/^https?:\/\//.test(p)) return p;
    if (p.startsWith('/v2/') || p.startsWith('/kaiwa/') || p === '/healthz' || p.startsWith('/healthz?')) return p;
    return `/v2${p.startsWith('/') ? '' : '/'}${p}`;
  }

  /**
   * opts: query (object), form (object|URLSearchParams|pairs|string), body (string|Buffer|FormData),
   * contentType, headers, auth ('x-chatworktoken'|'bearer'|'none'), token (override), check (default true)
   */
  async request(method, p, opts = {}) {
    const full = this.fullPath(p);
    const url = new URL(full, this.baseUrl);
    if (opts.query) {
      const entries = Array.isArray(opts.query) ? opts.query : Object.entries(opts.query);
      for (const [k, v] of entries) if (v !== undefined) url.searchParams.append(k, encodeValue(v));
    }
    const headers = { ...(opts.headers || {}) };
    const token = 'token' in opts ? opts.token : this.token;
    const auth = opts.auth ?? this.authStyle;
    if (auth !== 'none' && token !== undefined && token !== null) {
      if (auth === 'bearer') headers.Authorization = `Bearer ${token}`;
      else headers['X-ChatWorkToken'] = token;
    }
    let body;
    if (opts.form !== undefined) {
      body = formEncode(opts.form);
      headers['Content-Type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
    } else if (opts.body !== undefined) {
      body = opts.body;
      if (opts.contentType) headers['Content-Type'] = opts.contentType;
    }
    let r;
    try {
      r = await fetch(url, { method, headers, body, redirect: 'manual' });
    } catch (e) {
      throw new Error(`${method} ${url.pathname}${url.search} failed at the transport level: ${e.cause?.message || e.message}`);
    }
    const buf = Buffer.from(await r.arrayBuffer());
    const text = buf.toString('utf8');
    const res = {
      method,
      path: url.pathname,
      url: url.toString(),
      status: r.status,
      headers: Object.fromEntries([...r.headers.entries()].map(([k, v]) => [k.toLowerCase(), v])),
      bytes: buf,
      text,
      json: undefined,
      jsonError: undefined,
    };
    if (text.length) {
      try { res.json = JSON.parse(text); } catch (e) { res.jsonError = e.message; }
    }
    res.toString = () => `${method} ${url.pathname}${url.search} → ${res.status} ${shortBody(text)}`;
    if (opts.check !== false) checkResponse(res);
    return res;
  }

  get(p, query, opts = {}) { return this.request('GET', p, { ...opts, query }); }
  post(p, form = {}, opts = {}) { return this.request('POST', p, { ...opts, form }); }
  put(p, form = {}, opts = {}) { return this.request('PUT', p, { ...opts, form }); }
  /** DELETE with params in the query string (default) or, with opts.asBody, a form body. */
  del(p, params, opts = {}) {
    if (opts.asBody) return this.request('DELETE', p, { ...opts, form: params ?? {} });
    return this.request('DELETE', p, { ...opts, query: params });
  }

  /** multipart upload: file = {name, data (Buffer|string), type}, plus extra fields */
  upload(p, { file, message, fields = {} } = {}, opts = {}) {
    const fd = new FormData();
    if (file) {
      const blob = new Blob([file.data], { type: file.type ?? 'application/octet-stream' });
      fd.append(file.field ?? 'file', blob, file.name ?? 'file.bin');
    }
    if (message !== undefined) fd.append('message', message);
    for (const [k, v] of Object.entries(fields)) fd.append(k, encodeValue(v));
    return this.request('POST', p, { ...opts, body: fd });
  }
}

/** Low-level HTTP (node:http) for bodies fetch will not send or that the server may cut short. */
export function rawRequest(baseUrl, { method = 'POST', path: p, headers = {}, body, timeoutMs = 20000 }) {
  const u = new URL(p, baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (v) => { if (!settled) { settled = true; resolve(v); } };
    const req = http.request({
      host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json; let jsonError;
        if (text) { try { json = JSON.parse(text); } catch (e) { jsonError = e.message; } }
        done({ method, path: u.pathname, status: res.statusCode, headers: res.headers, text, json, jsonError });
      });
      res.on('error', (e) => done({ method, path: u.pathname, status: res.statusCode, headers: res.headers, text: '', error: e.message }));
    });
    req.setTimeout(timeoutMs, () => { req.destroy(new Error('timeout')); });
    // The server may answer early (e.g. 413) and close while we are still writing: the write
    // then fails (EPIPE/ECONNRESET) but the response may still arrive, so wait a little for it.
    req.on('error', (e) => {
      setTimeout(() => done({ method, path: u.pathname, status: 0, headers: {}, text: '', error: e.message }), 1000);
    });
    if (body !== undefined) {
      // write in chunks; the server may answer (413) and close before we finish
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const CH = 1 << 16;
      let off = 0;
      const pump = () => {
        while (off < b.length) {
          const slice = b.subarray(off, off + CH);
          off += CH;
          if (!req.write(slice)) { req.once('drain', pump); return; }
        }
        req.end();
      };
      req.on('error', () => {});
      pump();
    } else {
      req.end();
    }
  });
}

/** Assert a status with a useful message. */
export function expectStatus(res, code, what = '') {
  const codes = Array.isArray(code) ? code : [code];
  assert.ok(codes.includes(res.status),
    `${what ? what + ': ' : ''}expected ${codes.join(' or ')} for ${res.method} ${res.path}, got ${res.status} ${shortBody(res.text)}`);
  return res;
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
