// Debian's chromium through playwright-core, with every console error, page error and CSP
// violation recorded so a test can assert there were none.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './server.mjs';

export const screenshotDir = path.join(repoRoot, 'tests', 'e2e', 'screenshots');
export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * A browser context (its own cookies) and a page on it. `problems` collects console errors,
 * uncaught exceptions and CSP violations; `tolerate(re)` lets expected ones through (a 401 from a
 * wrong password, a refused connection while the server restarts).
 */
export async function openPage(browser, { locale = 'en-US', viewport = desktop } = {}) {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  const tolerated = [];
  const tolerate = (re) => {
    tolerated.push(re);
    return () => tolerated.splice(tolerated.indexOf(re), 1);
  };
  const note = (what) => {
    if (!tolerated.some((re) => re.test(what))) problems.push(what);
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') note(`console: ${msg.text()} @ ${msg.location()?.url ?? ''}`);
  });
  page.on('pageerror', (err) => note(`pageerror: ${err.message}`));
  // The stream's frames and the API's answers, to explain a failure.
  const log = [];
  const keep = (line) => {
    log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (log.length > 300) log.shift();
  };
  page.on('websocket', (ws) => {
    keep(`ws open ${ws.url()}`);
    ws.on('framereceived', (f) => keep(`ws <- ${String(f.payload).slice(0, 300)}`));
    ws.on('close', () => keep('ws closed'));
  });
  page.on('response', (r) => {
    if (r.url().includes('/v2/') || r.url().includes('/kaiwa/')) keep(`${r.request().method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')} ${r.status()}`);
  });
  page.on('requestfailed', (r) => keep(`${r.method()} ${r.url()} failed ${r.failure()?.errorText}`));
  await page.exposeFunction('__kaiwaCsp', (v) => note(`csp: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__kaiwaCsp(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { context, page, problems, tolerate, log };
}

export async function shot(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}
