// Accessibility of the web client, checked rather than claimed, in Debian's chromium against a
// real kaiwa. axe-core (the standard WCAG rule engine) runs its WCAG 2.0/2.1 A and AA rules on
// every main view — sign-in, the room list, an open room with every kind of notation (To, reply,
// quote, info, code, a task card, a file card), the room panel's Tasks, Files and Members tabs,
// My Tasks, Contacts, Search with results, Settings, the New group dialog, the task-from-message
// dialog and an invitation page — in English and Japanese, at desktop and phone width (on a
// phone also WCAG 2.2's target size). axe does not check non-text contrast, so every form field's
// border is measured too (3:1). Any violation of serious or critical impact fails the test,
// listed by rule with its targets, the views they were found on and help. A planted violation
// proves the audit is really running.
// Then the keyboard alone: the skip link to the composer, opening a room from the list, sending,
// a dialog that takes the focus and gives it back, the header's page links, and a visible focus
// indicator on every Tab stop of the room view.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { desktop, launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const require = createRequire(import.meta.url);
// Evaluated in the page through the DevTools protocol, which the page's CSP (no inline scripts)
// does not govern: the pages keep their real CSP and its violations are still recorded.
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A 1x1 PNG, for a file card with an image preview.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// Runs in the page: the enabled, visible text fields and selects whose boundary (their border,
// or their own fill) has less than 3:1 contrast with the colour around them.
function faintFields() {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (x, y) => {
    const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgroundOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.9) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const out = [];
  for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), select, textarea')) {
    const box = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    // Disabled fields are exempt; visually hidden ones (a password manager's username) show nothing.
    if (el.disabled || box.width <= 1 || box.height <= 1 || cs.visibility === 'hidden' || el.closest('[inert], [aria-hidden=true]')) continue;
    const around = backgroundOf(el.parentElement);
    const own = parse(cs.backgroundColor);
    const fill = own && own.a > 0.9 ? own : around;
    const border = parseFloat(cs.borderBottomWidth) > 0 ? parse(cs.borderBottomColor) : null;
    const best = Math.max(ratio(fill, around), border && border.a > 0.9 ? ratio(border, around) : 1);
    if (best < 3) out.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}${el.name ? `[name=${el.name}]` : ''} — boundary ${best.toFixed(2)}:1 (border ${cs.borderBottomColor} on ${cs.backgroundColor} in rgb(${around.r}, ${around.g}, ${around.b}))`);
  }
  return out;
}

// Runs in the page: what sticks out sideways past the window (WCAG 1.4.10 Reflow: nothing to
// scroll or lose sideways at a phone's width), unless a scrolling or clipping box holds it.
function overflowing() {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in ${width}px`);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || (r.right <= width + 1 && r.left >= -1)) continue;
    let held = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') {
        held = true;
        break;
      }
    }
    if (held || getComputedStyle(el).visibility === 'hidden') continue;
    out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} — ${Math.round(r.left)}..${Math.round(r.right)}px in ${width}px`);
  }
  return out;
}

describe('accessibility', () => {
  let server;
  let browser;
  let alice; // English
  let ken; // Japanese
  let room;
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    pages.push(p);
    return p;
  }

  async function signIn(p, email) {
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.main-nav');
  }

  async function upload(token, roomId, name, type, data, message) {
    const fd = new FormData();
    fd.append('file', new Blob([data], { type }), name);
    if (message) fd.append('message', message);
    const res = await fetch(`${server.url}/v2/rooms/${roomId}/files`, { method: 'POST', headers: { 'X-ChatWorkToken': token }, body: fd });
    if (!res.ok) throw new Error(`upload ${name} → ${res.status} ${await res.text()}`);
  }

  async function waitIndexed(token, q) {
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${server.url}/kaiwa/v1/search?q=${encodeURIComponent(q)}`, { headers: { 'X-ChatWorkToken': token } });
      if (res.ok && (await res.json()).total > 0) return;
      await sleep(100);
    }
    throw new Error(`the index never found ${q}`);
  }

  // Runs axe on the page as it is now; returns its violations, each with the view's name. On a
  // phone also WCAG 2.2's target size (2.5.8: 24 px, or spaced apart): fingers, not a mouse.
  async function audit(page, view, tags) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
    // Let transitions and late layout settle so colours are read as the user sees them.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), tags);
    const found = result.violations.map((v) => ({ view, id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 240)}` : ''}`) }));
    if (tags.includes('wcag22aa')) {
      const wide = await page.evaluate(overflowing);
      if (wide.length > 0) found.push({ view, id: 'reflow', impact: 'serious', help: 'Nothing may stick out sideways at a phone\'s width (WCAG 1.4.10 Reflow; axe does not check it)', helpUrl: 'https://www.w3.org/WAI/WCAG21/Understanding/reflow.html', targets: wide });
    }
    const faint = await page.evaluate(faintFields);
    if (faint.length > 0) found.push({ view, id: 'field-boundary-contrast', impact: 'serious', help: "A form field's border or fill must have 3:1 contrast with what surrounds it (WCAG 1.4.11 Non-text Contrast; axe does not check it)", helpUrl: 'https://www.w3.org/WAI/WCAG21/Understanding/non-text-contrast.html', targets: faint });
    return found;
  }

  // One entry per rule, each target once with the views it was found on.
  function describeViolations(list) {
    const rules = new Map();
    for (const v of list) {
      const rule = rules.get(v.id) ?? { impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: new Map() };
      rules.set(v.id, rule);
      for (const t of v.targets) rule.targets.set(t, [...(rule.targets.get(t) ?? []), v.view]);
    }
    return [...rules].map(([id, r]) => `${id} (${r.impact}): ${r.help} <${r.helpUrl}>\n${[...r.targets].map(([t, views]) => `    ${t}  [${views.join(', ')}]`).join('\n')}`).join('\n');
  }

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    const { organization_id: other } = await admin(server.dataDir, 'org', 'create', '--name', 'Example Trading');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    const mina = await admin(server.dataDir, 'account', 'create', '--org', other, '--name', 'Mina Ito', '--email', 'mina@example.test', '--password', PASSWORD);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    ({ room_id: room } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Project Kaiwa 開発', description: 'The spring release.', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), icon_preset: 'project',
    }));
    await v2(server.url, alice.api_token, 'POST', '/rooms', { name: '営業チーム Sales', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id) });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${room}/messages`, { body: '[info][title]Weekly sync 週次定例[/title]Agenda: release plan, search, web client[hr]Room: 3F 会議室A[/info]' });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: `[rp aid=${alice.account_id} to=${room}-0]Alice Tanaka\n了解しました。資料を準備します。` });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${room}/messages`, { body: '[code]\nkaiwa serve --web-dir web/dist\n[/code]\nThe client is served at / now.' });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: `[qt][qtmeta aid=${alice.account_id} time=1700000000]The client is served at / now.[/qt]\nNice! The release notes are next.` });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${room}/messages`, { body: `[To:${ken.account_id}]佐藤 健さん\nCould you review the release notes by Friday?` });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: `[To:${alice.account_id}]Alice Tanakaさん\n承知しました。金曜までに確認します。` });
    const now = Math.floor(Date.now() / 1000);
    await v2(server.url, alice.api_token, 'POST', `/rooms/${room}/tasks`, { body: 'Review the release notes', to_ids: String(ken.account_id), limit: String(now + 3 * 86400), limit_type: 'date' });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/tasks`, { body: '議事録を共有する', to_ids: String(alice.account_id) });
    await upload(alice.api_token, room, 'mockup-v2.png', 'image/png', PNG, 'The new mockup');
    await upload(ken.api_token, room, 'release-plan.pdf', 'application/pdf', '%PDF-1.4 fake', '');
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: 'The release notes draft is in the Files tab.' });
    // An invitation to a group chat neither Alice nor Ken is in: the page shows its preview.
    const { room_id: open } = await v2(server.url, mina.api_token, 'POST', '/rooms', { name: 'Partners 2027', description: 'Open to partners.', members_admin_ids: String(mina.account_id) });
    await v2(server.url, mina.api_token, 'POST', `/rooms/${open}/link`, { code: 'partners-2027', description: 'Open to partners working on the spring launch.', need_acceptance: '0' });
    // A contact request waiting for each of them, for the Contacts page.
    for (const to of [alice, ken]) {
      const res = await fetch(`${server.url}/kaiwa/v1/contact_requests`, { method: 'POST', headers: { 'X-ChatWorkToken': mina.api_token, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ account_id: String(to.account_id) }).toString() });
      if (!res.ok) throw new Error(`contact request → ${res.status} ${await res.text()}`);
    }
    await waitIndexed(alice.api_token, 'release');
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // The audit itself works: axe is loaded and answers, and the field check runs.
  it('catches violations planted in a page', async () => {
    const p = await newPage({ locale: 'en-US' });
    const { page } = p;
    await page.goto(server.url);
    await page.locator('input[name=email]').waitFor();
    await page.evaluate(() => {
      const card = document.querySelector('.signin-card');
      const field = document.createElement('input');
      field.type = 'text';
      field.className = 'planted-field';
      field.style.border = '1px solid #eeeeee';
      const faint = document.createElement('p');
      faint.className = 'planted-text';
      faint.textContent = 'Pale grey text nobody can read';
      faint.style.color = '#cccccc';
      card.append(field, faint);
    });
    const found = await audit(page, 'planted', kTags);
    const ids = found.map((v) => v.id);
    for (const id of ['label', 'color-contrast', 'field-boundary-contrast']) assert.ok(ids.includes(id), `${id} is caught: ${describeViolations(found)}`);
    assert.match(describeViolations(found), /\.planted-text/);
  });

  const kRuns = [
    { lang: 'en', locale: 'en-US', email: 'alice@example.test', viewport: desktop, size: 'desktop', q: 'release' },
    { lang: 'en', locale: 'en-US', email: 'alice@example.test', viewport: phone, size: 'phone', q: 'release' },
    { lang: 'ja', locale: 'ja-JP', email: 'ken@example.test', viewport: desktop, size: 'desktop', q: '金曜' },
    { lang: 'ja', locale: 'ja-JP', email: 'ken@example.test', viewport: phone, size: 'phone', q: '金曜' },
  ];

  for (const run of kRuns) {
    it(`has no serious or critical WCAG A/AA violations on any main view (${run.lang}, ${run.size})`, async () => {
      const p = await newPage({ locale: run.locale, viewport: run.viewport });
      const { page } = p;
      const found = [];
      const isPhone = run.size === 'phone';
      const check = async (view, ready) => {
        try {
          await ready();
        } catch (e) {
          await shot(page, `failed-a11y-${view}-${run.lang}-${run.size}`).catch(() => undefined);
          console.error(p.log.join('\n'));
          throw new Error(`${view}: ${e.message}`);
        }
        found.push(...(await audit(page, view, isPhone ? [...kTags, 'wcag22aa'] : kTags)));
      };
      const goHome = async () => {
        // On a phone the list is its own screen: back from the open room or page.
        if (isPhone && (await page.locator('.room-list').isHidden())) {
          await page.locator('.back-button:visible').click();
        }
        await page.locator('.room-list').waitFor();
      };
      const openRoom = async () => {
        await goHome();
        await page.locator(`button.room-item[data-room-id="${room}"]`).click();
        await page.locator('.messages li.message', { hasText: 'The release notes draft' }).waitFor();
      };
      const navTo = async (view) => {
        // Settings is behind the user's own button in the header.
        await page.locator(view === 'settings' ? 'header .me' : `.main-nav .nav-item-${view}`).click();
      };

      await page.goto(server.url);
      await check('sign-in', () => page.locator('input[name=email]').waitFor());
      await signIn(p, run.email);
      await check('room-list', () => page.locator('button.room-item').first().waitFor());
      // The header with both badges, which used to push the page sideways on a phone.
      if (isPhone) await shot(page, `header-badges-${run.lang}-phone`);
      await check('room', async () => {
        await openRoom();
        await page.locator('.messages .task-card').first().waitFor();
        await page.locator('.messages .info-box-file').first().waitFor();
        await page.locator('.messages .quote').waitFor();
        await page.locator('.messages .code-block').waitFor();
        await page.locator('.messages .chip-reply').waitFor();
        await page.locator('.messages .chip-to').first().waitFor();
        await page.locator('.messages .chip-me').first().waitFor();
        // A message's actions show on hover: check them too.
        await page.locator('.messages li.message', { hasText: 'The release notes draft' }).hover();
      });
      for (const [tab, ready] of [['tasks', '.room-panel li'], ['files', '.room-files .file-row'], ['members', '[data-testid=members-panel]']]) {
        await check(`panel-${tab}`, async () => {
          // On a phone the panel covers the room: close it to reach the next tab.
          if (isPhone && (await page.locator('.room-panel').isVisible())) await page.locator('.room-panel .room-panel-header .icon-button').click();
          await page.locator('.panel-tab').nth(['tasks', 'files', 'members'].indexOf(tab)).click();
          await page.locator(ready).first().waitFor();
        });
      }
      await check('task-dialog', async () => {
        await page.locator('.room-panel-header .icon-button').click();
        await page.locator('.room-panel').waitFor({ state: 'detached' });
        const msg = page.locator('.messages li.message', { hasText: 'The release notes draft' });
        await msg.hover();
        await msg.locator('.message-actions .action').nth(2).click();
        await page.getByRole('dialog').waitFor();
      });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await check('my-tasks', async () => {
        await navTo('tasks');
        await page.getByTestId('my-tasks').locator('li').first().waitFor();
      });
      await check('contacts', async () => {
        await navTo('contacts');
        await page.getByTestId('my-account-id').waitFor();
        await page.getByText('Mina Ito').first().waitFor();
      });
      await check('search', async () => {
        await page.goto(`${server.url}/search?q=${encodeURIComponent(run.q)}`);
        await page.locator('ol.search-hits a.search-hit').first().waitFor();
      });
      await check('settings', async () => {
        await navTo('settings');
        await page.locator('.page-title').waitFor();
        await page.locator('.page-body input, .page-body select').first().waitFor();
      });
      await check('new-group-dialog', async () => {
        await goHome();
        await page.getByTestId('new-group-compact').click();
        await page.getByTestId('new-group-dialog').waitFor();
      });
      await page.keyboard.press('Escape');
      await page.getByTestId('new-group-dialog').waitFor({ state: 'hidden' });
      await check('invitation', async () => {
        await page.goto(`${server.url}/g/partners-2027`);
        await page.getByTestId('invitation-name').waitFor();
      });

      const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const minor = found.filter((v) => !serious.includes(v));
      if (minor.length > 0) console.log(`moderate/minor (${run.lang}, ${run.size}):\n${describeViolations(minor)}`);
      assert.equal(serious.length, 0, `axe found ${serious.length} serious or critical WCAG violations (${run.lang}, ${run.size}):\n${describeViolations(serious)}`);
      assert.deepEqual(p.problems, []);
    });
  }

  // What has the focus, for assertions and messages.
  const focused = (page) => page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${name}"`;
  });
  const focusIs = (page, selector) => page.evaluate((sel) => !!document.activeElement?.matches(sel), selector);

  // Presses Tab (or Shift+Tab) until the focus is on `selector`.
  async function tabTo(page, selector, { back = false, max = 80 } = {}) {
    const path = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      if (await focusIs(page, selector)) return;
      path.push(await focused(page));
    }
    throw new Error(`${back ? 'Shift+Tab' : 'Tab'} never reached ${selector}; it went through:\n  ${path.join('\n  ')}`);
  }

  it('reaches and operates the main flows with the keyboard alone, with a visible focus at every stop', async () => {
    const p = await newPage({ locale: 'en-US', viewport: desktop });
    const { page } = p;
    const kb = page.keyboard;
    try {
      // Sign in.
      await page.goto(server.url);
      await page.locator('input[name=email]').waitFor();
      await tabTo(page, 'input[name=email]');
      await kb.type('alice@example.test');
      await tabTo(page, 'input[name=password]');
      await kb.type(PASSWORD);
      await kb.press('Enter');
      await page.locator('.main-nav').waitFor();

      // Open a room from the list.
      await tabTo(page, `button.room-item[data-room-id="${room}"]`);
      await kb.press('Enter');
      await page.locator('.room-title', { hasText: 'Project Kaiwa 開発' }).waitFor();
      await page.locator('.messages li.message', { hasText: 'The release notes draft' }).waitFor();

      // The skip link is the first stop, shows when it has the focus, and lands in the message box.
      await tabTo(page, '.skip-link', { back: true });
      const skip = await page.locator('.skip-link').boundingBox();
      assert.ok(skip && skip.y >= 0 && skip.height > 0, `the focused skip link is on screen: ${JSON.stringify(skip)}`);
      await kb.press('Enter');
      assert.ok(await focusIs(page, 'textarea.composer-input'), `the skip link moves the focus to the message box, not ${await focused(page)}`);

      // Send a message.
      await kb.type('Sent from the keyboard alone');
      await kb.press('Enter');
      await page.locator('.messages li.message', { hasText: 'Sent from the keyboard alone' }).waitFor({ timeout: 5000 });
      await page.waitForFunction(() => document.querySelector('.composer-input')?.value === '');
      assert.ok(await focusIs(page, 'textarea.composer-input'), 'the focus stays in the message box');

      // The arrows move through the messages; a message's actions are the next Tab stops. The task
      // dialog takes the focus and Escape gives it back to the action that opened it.
      await tabTo(page, '.timeline', { back: true });
      await kb.press('ArrowUp');
      assert.ok(await focusIs(page, 'li.message'), `Up from the timeline goes to a message, not ${await focused(page)}`);
      assert.match(await page.evaluate(() => document.activeElement.textContent), /Sent from the keyboard alone/, 'Up starts at the latest message');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none', 'the message with the focus shows it');
      assert.ok(await page.locator('li.message:focus .message-actions').isVisible(), 'and shows its actions');
      await shot(page, 'keyboard-message-en-desktop');
      await kb.press('ArrowUp');
      assert.match(await page.evaluate(() => document.activeElement.textContent), /The release notes draft is in the Files tab/);
      await kb.press('ArrowDown');
      assert.match(await page.evaluate(() => document.activeElement.textContent), /Sent from the keyboard alone/);
      await kb.press('ArrowUp');
      await tabTo(page, 'li.message:focus-within .message-actions .action:nth-child(3)', { max: 3 });
      await kb.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Add a task' });
      await dialog.waitFor();
      assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'the focus moves into the task dialog');
      assert.equal(await dialog.getByLabel('Task', { exact: true }).inputValue(), 'The release notes draft is in the Files tab.');
      await kb.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await focused(page), 'button.action "Task"', 'Escape gives the focus back to the action');

      // The New group dialog from the room list, the same way.
      await tabTo(page, '[data-testid=new-group-compact]', { back: true });
      await kb.press('Enter');
      const group = page.getByTestId('new-group-dialog');
      await group.waitFor();
      assert.ok(await group.evaluate((d) => d.contains(document.activeElement)), 'the focus moves into the New group dialog');
      await kb.press('Escape');
      await group.waitFor({ state: 'hidden' });
      assert.ok(await focusIs(page, '[data-testid=new-group-compact]'), `Escape gives the focus back to the New group button, not ${await focused(page)}`);

      // The header's page links.
      await tabTo(page, '.main-nav .nav-item-tasks', { back: true });
      await kb.press('Enter');
      await page.getByTestId('my-tasks').waitFor();
      assert.equal(await page.locator('.nav-item-tasks').getAttribute('aria-current'), 'page');
      await tabTo(page, '.main-nav .nav-item-contacts');
      await kb.press('Enter');
      await page.getByTestId('my-account-id').waitFor();
      assert.equal(await page.locator('.page-title').textContent(), 'Contacts');
      await tabTo(page, '.main-nav .nav-item-chat', { back: true });
      await kb.press('Enter');
      await page.locator('.room-title', { hasText: 'Project Kaiwa 開発' }).waitFor();

      // Every Tab stop of the room view (with its Tasks tab open) shows where the focus is.
      await tabTo(page, '.panel-tab:first-child');
      await kb.press('Enter');
      await page.locator('.room-panel li').first().waitFor();
      await tabTo(page, '.skip-link', { back: true });
      const stops = [];
      const unmarked = [];
      for (let i = 0; i < 120; i++) {
        const here = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const cs = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return {
            ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none',
            onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
          };
        });
        const name = await focused(page);
        if (here === null || (i > 0 && stops[0] === name)) break;
        stops.push(name);
        if (!here.ring || !here.onScreen) unmarked.push(`${name}${here.ring ? '' : ' (no outline or box-shadow)'}${here.onScreen ? '' : ' (off screen)'}`);
        await kb.press('Tab');
      }
      assert.ok(stops.length >= 15, `the room view has its Tab stops: ${stops.join(', ')}`);
      for (const sel of ['.skip-link', '.search-input', '.nav-item-tasks', '.room-item', '.panel-tab', '.timeline', '.composer-input']) {
        assert.ok(stops.some((s) => s.includes(sel.replace(/^\./, '.').split(' ')[0])), `${sel} is a Tab stop: ${stops.join(', ')}`);
      }
      assert.deepEqual(unmarked, [], `every Tab stop shows the focus; these do not:\n${unmarked.join('\n')}`);
      assert.deepEqual(p.problems, []);
    } catch (e) {
      await shot(page, 'failed-a11y-keyboard').catch(() => undefined);
      console.error(p.log.join('\n'));
      throw e;
    }
  });
});
