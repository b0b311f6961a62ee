// The web client in Debian's chromium against a real kaiwa: sign-in, two users chatting live in
// two browser contexts, mention badges, reload, edit and delete, scroll-back through history, a
// server restart in the middle of the conversation, and screenshots of the main views. Every
// page must finish without console errors or CSP violations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desktop, launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('web client', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let groupRoom;
  let historyRoom;
  let pageA;
  let pageB;
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    pages.push(p);
    return p;
  }

  async function signIn(p, email) {
    await p.page.goto(server.url);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.room-list');
  }

  const roomButton = (page, id) => page.locator(`button.room-item[data-room-id="${id}"]`);
  const message = (page, text) => page.locator('.messages li.message', { hasText: text });

  async function send(page, text) {
    await page.fill('.composer-input', text);
    await page.press('.composer-input', 'Enter');
  }

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    alice.email = 'alice@example.test';
    ken.email = 'ken@example.test';
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    ({ room_id: groupRoom } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Project Kaiwa 開発', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), icon_preset: 'project',
    }));
    ({ room_id: historyRoom } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'History', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id),
    }));
    const seed = [
      [alice, '[info][title]Weekly sync 週次定例[/title]Agenda: release plan, search, web client[hr]Room: 3F 会議室A[/info]'],
      [ken, `[rp aid=${alice.account_id} to=${groupRoom}-0]Alice Tanaka\n了解しました。資料を準備します。`],
      [alice, '[code]\nkaiwa serve --web-dir web/dist\n[/code]\nThe client is served at / now.'],
      [ken, `[qt][qtmeta aid=${alice.account_id} time=1700000000]The client is served at / now.[/qt]\nNice! <b>not bold</b> & no HTML`],
    ];
    for (const [who, body] of seed) await v2(server.url, who.api_token, 'POST', `/rooms/${groupRoom}/messages`, { body });
    for (let i = 1; i <= 130; i++) await v2(server.url, alice.api_token, 'POST', `/rooms/${historyRoom}/messages`, { body: `history ${i}` });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password, then signs in', async () => {
    pageA = await newPage({ locale: 'en-US' });
    const { page, tolerate } = pageA;
    // Not signed in yet (GET /kaiwa/v1/session) and the wrong password: the browser logs both 401s.
    tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    const assets = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/assets/')) assets.push(r);
    });
    const doc = await page.goto(server.url);
    assert.match(doc.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.equal(doc.headers()['cache-control'], 'no-cache');
    await page.waitForSelector('input[name=email]');
    assert.ok(assets.length >= 2, 'the script and the stylesheet come from /assets/');
    for (const r of assets) {
      assert.match(new URL(r.url()).pathname, /-[A-Za-z0-9_-]{8}\.(js|css|svg)$/, 'assets carry a content hash');
      assert.match(r.headers()['cache-control'] ?? '', /immutable/);
    }
    await page.fill('input[name=email]', alice.email);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    await shot(page, 'signin-error-en-desktop');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.room-list');
    assert.equal(await page.locator('.me-name').textContent(), 'Alice Tanaka');
    const cookies = await pageA.context.cookies();
    const session = cookies.find((c) => c.name === 'kaiwa_session');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    assert.ok(!stored.includes(session.value), 'nothing of the session in localStorage');
  });

  it('lets two users chat live', async () => {
    pageB = await newPage({ locale: 'ja-JP' });
    pageB.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    await signIn(pageB, ken.email);
    assert.equal(await pageB.page.locator('.lang-switch').inputValue(), 'ja', 'follows the browser language');
    await roomButton(pageA.page, groupRoom).click();
    await roomButton(pageB.page, groupRoom).click();
    await message(pageA.page, 'Nice!').waitFor();
    await message(pageB.page, 'Nice!').waitFor();

    await send(pageA.page, 'Hello Ken, can you hear me?');
    await message(pageB.page, 'Hello Ken, can you hear me?').waitFor({ timeout: 5000 });
    await pageB.page.fill('.composer-input', 'はい、聞こえます');
    await pageB.page.press('.composer-input', 'Shift+Enter');
    await pageB.page.type('.composer-input', '二行目です');
    await pageB.page.press('.composer-input', 'Enter');
    const reply = message(pageA.page, 'はい、聞こえます');
    await reply.waitFor({ timeout: 5000 });
    assert.equal(await reply.locator('.message-body').textContent(), 'はい、聞こえます\n二行目です');
    await pageB.page.waitForFunction(() => document.querySelector('.composer-input')?.value === '', null, { timeout: 5000 });
  });

  it('renders notation as elements, never as HTML', async () => {
    const { page } = pageB;
    const info = page.locator('.info-box', { hasText: 'Weekly sync' });
    assert.equal(await info.locator('.info-title').textContent(), 'Weekly sync 週次定例');
    assert.equal(await info.locator('hr').count(), 1);
    assert.equal(await page.locator('.code-block code', { hasText: 'kaiwa serve --web-dir web/dist' }).count(), 1);
    const quote = page.locator('.quote', { hasText: 'served at' });
    assert.equal(await quote.locator('.quote-author').textContent(), 'Alice Tanaka');
    assert.equal(await page.locator('.chip-reply', { hasText: 'Alice Tanaka' }).count(), 1);
    assert.equal(await page.locator('.message-body b').count(), 0, 'no HTML from a message body');
    assert.equal(await message(page, '<b>not bold</b> & no HTML').count(), 1);
  });

  it('raises a mention badge that opening the room clears', async () => {
    await roomButton(pageB.page, ken.room_id).click(); // Ken looks at My Chat
    await send(pageA.page, `[To:${ken.account_id}]佐藤さん please review the release notes`);
    const badge = roomButton(pageB.page, groupRoom).locator('[data-testid=mention-badge]');
    await badge.waitFor({ timeout: 5000 });
    assert.equal(await badge.textContent(), '@1');
    await shot(pageB.page, 'rooms-mention-ja-desktop');
    await roomButton(pageB.page, groupRoom).click();
    const chip = message(pageB.page, 'please review').locator('.chip-to');
    await chip.waitFor();
    assert.match(await chip.textContent(), /佐藤 健/);
    assert.match(await message(pageB.page, 'please review').getAttribute('class'), /message-mention/);
    await badge.waitFor({ state: 'detached', timeout: 5000 });
    assert.equal(await roomButton(pageB.page, groupRoom).locator('[data-testid=unread-badge]').count(), 0);
  });

  it('keeps the session and the timeline across a reload', async () => {
    const { page } = pageB;
    await page.reload();
    await message(page, 'please review').waitFor();
    assert.ok(page.url().endsWith(`/rooms/${groupRoom}`));
    assert.equal(await page.locator('input[name=password]').count(), 0, 'no sign-in form');
  });

  it('edits and deletes own messages, live on the other side', async () => {
    await send(pageA.page, 'typo mesage');
    await message(pageB.page, 'typo mesage').waitFor();
    const mine = message(pageA.page, 'typo mesage');
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    await pageA.page.fill('.composer-input', 'fixed message');
    await pageA.page.press('.composer-input', 'Enter');
    await message(pageB.page, 'fixed message').waitFor({ timeout: 5000 });
    assert.equal(await message(pageB.page, 'typo mesage').count(), 0);
    pageA.page.once('dialog', (d) => d.accept());
    const fixed = message(pageA.page, 'fixed message');
    await fixed.hover();
    await fixed.getByRole('button', { name: 'Delete' }).click();
    await message(pageB.page, 'fixed message').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('scrolls back through history', async () => {
    const { page } = pageA;
    await roomButton(page, historyRoom).click();
    await message(page, 'history 130').waitFor();
    assert.equal(await message(page, 'history 1').filter({ hasText: /^history 1$/ }).count(), 0, 'the first page holds the latest messages only');
    for (let i = 0; i < 20 && (await page.locator('.timeline-start').count()) === 0; i++) {
      await page.locator('.timeline').evaluate((el) => { el.scrollTop = 0; });
      await sleep(250);
    }
    await page.locator('.timeline-start').waitFor();
    const texts = (await page.locator('.messages li.message .message-body').allTextContents()).filter((t) => t.startsWith('history '));
    assert.deepEqual(texts, Array.from({ length: 130 }, (_, i) => `history ${i + 1}`));
    await roomButton(page, groupRoom).click();
    await message(page, 'Hello Ken').waitFor();
  });

  it('continues the conversation across a server restart with nothing missing', async () => {
    // While the server is down the browser logs the refused connections; nothing else may appear.
    const refused = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/;
    const untolerate = [pageA.tolerate(refused), pageB.tolerate(refused)];
    const { port, dataDir } = server;
    await server.stop();
    await pageB.page.getByTestId('offline-banner').waitFor({ timeout: 15000 });
    await pageA.page.getByTestId('offline-banner').waitFor({ timeout: 15000 });
    await shot(pageB.page, 'offline-ja-desktop');
    server = await startServer({ dataDir, port });
    // Posted before the browsers are back: they must arrive through the resume.
    for (let i = 1; i <= 3; i++) {
      await v2(server.url, alice.api_token, 'POST', `/rooms/${groupRoom}/messages`, { body: `while you were away ${i}` });
    }
    await pageB.page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 45000 });
    await pageA.page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 45000 });
    for (let i = 1; i <= 3; i++) await message(pageB.page, `while you were away ${i}`).waitFor({ timeout: 5000 });
    try {
      await send(pageB.page, 'back online');
      await message(pageA.page, 'back online').waitFor({ timeout: 5000 });
      await send(pageA.page, 'welcome back');
      await message(pageB.page, 'welcome back').waitFor({ timeout: 5000 });
    } catch (e) {
      await shot(pageA.page, 'failed-restart-a');
      await shot(pageB.page, 'failed-restart-b');
      console.error(`A:\n${pageA.log.join('\n')}\nB:\n${pageB.log.join('\n')}`);
      throw e;
    }
    await sleep(500);
    for (const u of untolerate) u();
    const texts = await pageB.page.locator('.messages li.message .message-body').allTextContents();
    const tail = texts.slice(texts.indexOf('while you were away 1'));
    assert.deepEqual(tail, ['while you were away 1', 'while you were away 2', 'while you were away 3', 'back online', 'welcome back']);
    assert.equal(new Set(texts).size, texts.length, 'no message shown twice');
  });

  it('switches language and remembers it', async () => {
    const { page } = pageA;
    await page.selectOption('.lang-switch', 'ja');
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
    await page.selectOption('.lang-switch', 'en');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('reaches everything by keyboard', async () => {
    const { page } = pageA;
    await page.locator('.room-filter').focus();
    await page.keyboard.type('history');
    assert.equal(await page.locator('button.room-item').count(), 1);
    await page.keyboard.press('Tab'); // unread-only toggle
    await page.keyboard.press('Tab'); // the one room left
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-room-id')), String(historyRoom));
    await page.keyboard.press('Enter');
    await message(page, 'history 130').waitFor();
    await page.locator('.room-filter').fill('');
    await roomButton(page, groupRoom).click();
    await message(page, 'welcome back').waitFor();
  });

  it('saves screenshots of the main views', async () => {
    for (const lang of ['en', 'ja']) {
      for (const [size, viewport] of [['desktop', desktop], ['phone', phone]]) {
        const p = await newPage({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport });
        p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
        try {
          await p.page.goto(server.url);
          await p.page.waitForSelector('input[name=email]');
          await shot(p.page, `signin-${lang}-${size}`);
          await signIn(p, lang === 'ja' ? ken.email : alice.email);
          await shot(p.page, `rooms-${lang}-${size}`);
          await roomButton(p.page, groupRoom).click();
          await message(p.page, 'welcome back').waitFor();
          await sleep(200);
          await shot(p.page, `room-${lang}-${size}`);
        } catch (e) {
          await shot(p.page, `failed-${lang}-${size}`);
          console.error(`${lang} ${size}:\n${p.log.join('\n')}\n${await p.page.content()}`);
          throw e;
        }
        await p.context.close();
      }
    }
  });

  it('signs out', async () => {
    const { page, context } = pageA;
    pageA.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('input[name=email]');
    await page.reload();
    await page.waitForSelector('input[name=email]');
    const left = (await context.cookies()).filter((c) => c.name === 'kaiwa_session' && c.value);
    assert.deepEqual(left, [], 'the session cookie is cleared');
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
