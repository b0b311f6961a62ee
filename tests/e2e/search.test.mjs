// Search in the web client against a real kaiwa: the header's field ("/" reaches it), hits with the
// matched words marked and never from a room the user is not in, filters kept in the address
// (back and reload), a bad query's and a rebuilding index's messages, and a hit opening its room
// at that message although it lies far beyond the latest page: centred, highlighted, newer pages
// loading while scrolling down, a live message kept in order. Every page must finish without
// console errors or CSP violations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desktop, launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FOUND = '来週の会議は水曜 10 時からです';
const memo = (i) => `進捗メモ ${i}`;

describe('web client search', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let bob;
  let historyRoom;
  let projectRoom;
  let secretRoom;
  let foundId;
  const ids = [];
  let main;
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    // Not signed in yet: GET /kaiwa/v1/session answers 401, which the browser logs.
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
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

  async function search(token, q) {
    const res = await fetch(`${server.url}/kaiwa/v1/search?q=${encodeURIComponent(q)}`, { headers: { 'X-ChatWorkToken': token } });
    if (!res.ok) return null;
    return res.json();
  }

  // The index follows within about a second: wait until it holds what the test expects.
  async function waitIndexed(token, q, total) {
    for (let i = 0; i < 100; i++) {
      const r = await search(token, q);
      if (r && r.total === total) return;
      await sleep(100);
    }
    throw new Error(`the index never had ${total} hits for ${q}`);
  }

  const hits = (page) => page.locator('ol.search-hits a.search-hit');
  const bodies = (page) => page.locator('.messages li.message .message-body').allTextContents();
  const messageById = (page, id) => page.locator(`.messages li.message[data-message-id="${id}"]`);

  async function searchInHeader(page, q) {
    await page.fill('.search-box .search-input', q);
    await page.press('.search-box .search-input', 'Enter');
  }

  // Whether the element is wholly inside the timeline's visible part.
  async function inView(page, locator) {
    const box = await locator.boundingBox();
    const view = await page.locator('.timeline').boundingBox();
    return !!box && !!view && box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1;
  }

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    bob = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Bob Ito', '--email', 'bob@example.test', '--password', PASSWORD);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    await admin(server.dataDir, 'contact', 'add', ken.account_id, bob.account_id);
    const room = async (owner, name, members, icon) => (await v2(server.url, owner.api_token, 'POST', '/rooms', {
      name, members_admin_ids: String(owner.account_id), members_member_ids: members.map((m) => m.account_id).join(','), icon_preset: icon,
    })).room_id;
    historyRoom = await room(alice, '営業チーム 定例', [ken], 'meeting');
    projectRoom = await room(alice, 'Project Kaiwa 開発', [ken], 'project');
    secretRoom = await room(ken, '人事 極秘', [bob], 'security');
    // 120 messages; only the third mentions 会議, far beyond the latest page.
    for (let i = 1; i <= 120; i++) {
      const who = i % 3 === 0 ? ken : alice;
      const { message_id } = await v2(server.url, who.api_token, 'POST', `/rooms/${historyRoom}/messages`, { body: i === 3 ? FOUND : memo(i) });
      if (i === 3) foundId = message_id;
      ids[i] = message_id;
    }
    // 25 weekly reports: more than one page of hits.
    for (let i = 1; i <= 25; i++) await v2(server.url, (i % 2 ? ken : alice).api_token, 'POST', `/rooms/${projectRoom}/messages`, { body: `週報 第${i}号` });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${projectRoom}/messages`, { body: '会議の資料を共有します。[info][title]資料[/title]第 2 四半期の計画[/info]' });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${projectRoom}/messages`, { body: 'Meeting notes: 会議 summary for the release <b>plan</b>' });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${secretRoom}/messages`, { body: '秘密の会議: Alice さんには見えないはず' });
    await waitIndexed(alice.api_token, '会議', 3);
    await waitIndexed(bob.api_token, '会議', 1);
    await waitIndexed(alice.api_token, '週報', 25);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds messages from the header, marks the matches, and never shows a room the user is not in', async () => {
    main = await newPage({ locale: 'ja-JP' });
    const { page } = main;
    await signIn(main, 'alice@example.test');
    await page.locator('body').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('search-input')), true, '"/" focuses the header search');
    await page.keyboard.type('会議');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=%E4%BC%9A%E8%AD%B0$/);
    await hits(page).nth(2).waitFor();
    assert.equal(await hits(page).count(), 3);
    assert.match(await page.locator('.search-summary').textContent(), /3 件/);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await hits(page).nth(i).locator('mark').allTextContents(), ['会議'], 'the match is marked');
    }
    const all = (await hits(page).allTextContents()).join('\n');
    assert.ok(!all.includes('秘密') && !all.includes('人事 極秘'), 'nothing from a room Alice is not in');
    assert.ok(all.includes('<b>plan</b>'), 'a snippet is text, never HTML');
    assert.equal(await page.locator('.search-hit-snippet b').count(), 0);
    const historyHit = hits(page).filter({ hasText: FOUND });
    assert.equal(await historyHit.locator('.search-hit-room-name').textContent(), '営業チーム 定例');
    assert.equal(await historyHit.locator('.search-hit-author').textContent(), '佐藤 健');
    assert.equal(await page.locator('.search-box .search-input').inputValue(), '会議');
    await page.locator('.search-box .search-input').blur();
    await page.mouse.move(1270, 790);
    await shot(page, 'search-ja-desktop');
  });

  it('keeps the filters in the address, for back, forward and reload', async () => {
    const { page } = main;
    await page.selectOption('.search-room', String(historyRoom));
    await page.waitForURL(new RegExp(`room=${historyRoom}`));
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 1 && !document.querySelector('.search-hits-stale'));
    assert.match(await hits(page).first().textContent(), /来週の会議/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 3 && !document.querySelector('.search-hits-stale'));
    assert.equal(await page.locator('.search-room').inputValue(), '');
    await page.goForward();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 1);
    assert.equal(await page.locator('.search-room').inputValue(), String(historyRoom));
    await page.getByRole('button', { name: '絞り込みを解除' }).click();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 3 && !document.querySelector('.search-hits-stale'));

    await page.selectOption('.search-sender', String(ken.account_id));
    await page.selectOption('.search-sort', 'relevance');
    await page.waitForURL(/sender=\d+.*sort=relevance/);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 2 && !document.querySelector('.search-hits-stale'));
    assert.equal(await page.locator('.search-sender').inputValue(), String(ken.account_id), 'the filter survives a reload');
    assert.equal(await page.locator('.search-sort').inputValue(), 'relevance');
    assert.equal(await page.locator('.search-box .search-input').inputValue(), '会議', 'the header field follows the address');
    for (const a of await page.locator('.search-hit-author').allTextContents()) assert.equal(a, '佐藤 健');

    // Tomorrow onwards: nothing, with a way out.
    const d = new Date(Date.now() + 86400000);
    const tomorrow = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await page.fill('.search-since', tomorrow);
    await page.locator('.search-none').waitFor();
    assert.match(await page.locator('.search-none').textContent(), /「会議」に一致するメッセージはありません/);
    await page.locator('.search-none').getByRole('button', { name: '絞り込みを解除' }).click();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 3 && !document.querySelector('.search-hits-stale'));
    assert.doesNotMatch(page.url(), /since=|sender=/);
  });

  it('explains a bad query and a rebuilding index', async () => {
    const { page, tolerate } = main;
    const untolerate = tolerate(/status of (400|503)/);
    await searchInHeader(page, '-会議');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    // The server's code (search_no_word) is said in the user's language.
    assert.match(await alert.textContent(), /この条件では検索できません：.*検索する言葉を 1 つ以上入力してください/);
    assert.equal(await alert.locator('[data-code]').getAttribute('data-code'), 'search_no_word');
    assert.equal(await hits(page).count(), 0);

    await page.route('**/kaiwa/v1/search?*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"errors":["The search index is being rebuilt"]}' }));
    await searchInHeader(page, '会議 OR 打ち合わせ');
    await page.getByRole('alert').filter({ hasText: '検索の準備中です' }).waitFor();
    await page.unroute('**/kaiwa/v1/search?*');
    await page.getByRole('alert').getByRole('button', { name: '再試行' }).click();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 3 && !document.querySelector('.search-hits-stale'));
    assert.equal(await page.getByRole('alert').count(), 0);
    untolerate();
  });

  it('opens the room at an old hit by keyboard, then loads newer messages down to the latest', async () => {
    const { page } = main;
    const order = await page.locator('a.search-hit').evaluateAll((as) => as.map((a) => a.getAttribute('data-message-id')));
    const at = order.indexOf(foundId);
    assert.ok(at >= 0);
    await hits(page).first().focus();
    for (let i = 0; i < at; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-message-id')), foundId, 'Tab walks the hits');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/rooms/${historyRoom}\\?message=${foundId}$`));
    const found = messageById(page, foundId);
    await found.waitFor();
    assert.match(await found.getAttribute('class'), /message-focus/, 'the message is highlighted');
    assert.ok(await inView(page, found), 'the message is in view');
    assert.equal(await page.locator('.messages li.message', { hasText: memo(120) }).count(), 0, 'the latest page is not loaded');
    await page.locator('.jump-latest').waitFor();
    const unread = page.locator(`button.room-item[data-room-id="${historyRoom}"] [data-testid=unread-badge]`);
    await sleep(300);
    assert.equal(await unread.count(), 1, 'not marked read while the latest is not on screen');
    await page.mouse.move(1270, 790);
    await shot(page, 'jump-ja-desktop');

    // A message posted meanwhile waits for its turn: never shown above the older ones.
    await v2(server.url, ken.api_token, 'POST', `/rooms/${historyRoom}/messages`, { body: 'ライブの投稿' });
    await sleep(1500);
    assert.equal(await page.locator('.messages li.message', { hasText: 'ライブの投稿' }).count(), 0);

    for (let i = 0; i < 40 && (await page.locator('.jump-latest').count()) > 0; i++) {
      await page.locator('.timeline').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await sleep(250);
    }
    await page.locator('.messages li.message', { hasText: 'ライブの投稿' }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('.jump-latest').count(), 0, 'at the latest');
    await unread.waitFor({ state: 'detached', timeout: 5000 }); // read once the latest is shown
    const expected = Array.from({ length: 120 }, (_, i) => (i === 2 ? FOUND : memo(i + 1)));
    expected.push('ライブの投稿');
    const seeded = (await bodies(page)).filter((t) => t.startsWith('進捗メモ ') || t === FOUND || t === 'ライブの投稿');
    assert.deepEqual(seeded, expected, 'every message once, in order');
    await page.locator('.timeline-start').waitFor(); // the two before it were in the first window

    // Live again at the latest.
    await v2(server.url, ken.api_token, 'POST', `/rooms/${historyRoom}/messages`, { body: 'もう一件' });
    await page.locator('.messages li.message', { hasText: 'もう一件' }).waitFor({ timeout: 5000 });
  });

  it('comes back to the message on reload, and jumps to the latest on request', async () => {
    const { page } = main;
    await page.reload();
    const found = messageById(page, foundId);
    await found.waitFor();
    await sleep(100);
    assert.ok(await inView(page, found), 'the message is in view after a reload');
    assert.equal(await page.locator('.messages li.message', { hasText: 'もう一件' }).count(), 0);
    await page.getByRole('button', { name: '最新のメッセージへ' }).click();
    await page.locator('.messages li.message', { hasText: 'もう一件' }).waitFor();
    assert.ok(page.url().endsWith(`/rooms/${historyRoom}`));
    assert.ok(await inView(page, page.locator('.messages li.message', { hasText: 'もう一件' })));
  });

  it('follows a reply to the message it answers', async () => {
    const { page } = main;
    await v2(server.url, alice.api_token, 'POST', `/rooms/${projectRoom}/messages`, { body: `[rp aid=${ken.account_id} to=${historyRoom}-${foundId}]佐藤 健さん\n水曜で了解です` });
    await page.locator(`button.room-item[data-room-id="${projectRoom}"]`).click();
    const chip = page.locator('.messages li.message', { hasText: '水曜で了解です' }).locator('a.chip-reply');
    await chip.waitFor();
    assert.equal(await chip.getAttribute('href'), `/rooms/${historyRoom}?message=${foundId}`);
    await chip.click();
    await page.waitForURL(new RegExp(`/rooms/${historyRoom}\\?message=${foundId}$`));
    await messageById(page, foundId).waitFor();
    assert.ok(await inView(page, messageById(page, foundId)));
    await page.goBack();
    await page.locator('.messages li.message', { hasText: '水曜で了解です' }).waitFor();
  });

  it('pages through many hits', async () => {
    const { page } = main;
    await searchInHeader(page, '週報');
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 20 && !document.querySelector('.search-hits-stale'));
    assert.match(await page.locator('.search-summary').textContent(), /25 件/);
    assert.match(await page.locator('.search-hit-snippet').first().textContent(), /週報 第25号/, 'newest first');
    assert.equal(await page.locator('.search-pager-range').textContent(), '25 件中 1〜20 件');
    await page.locator('.search-pager').getByRole('button', { name: '次へ' }).click();
    await page.waitForURL(/page=2/);
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 5 && !document.querySelector('.search-hits-stale'));
    assert.equal(await page.locator('.search-pager-range').textContent(), '25 件中 21〜25 件');
    assert.equal(await page.locator('.search-pager').getByRole('button', { name: '次へ' }).isDisabled(), true);
    assert.match(await page.locator('.search-hit-snippet').last().textContent(), /週報 第1号/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('a.search-hit').length === 20);
  });

  it('opens around a message that was deleted since', async () => {
    const { page, tolerate } = main;
    tolerate(/status of 404 .*\/v2\/rooms\/\d+\/messages\/\d+/); // GET of the deleted message, as expected
    await v2(server.url, alice.api_token, 'DELETE', `/rooms/${historyRoom}/messages/${ids[61]}`);
    await page.goto(`${server.url}/rooms/${historyRoom}?message=${ids[61]}`);
    await page.locator('.timeline-missing').waitFor();
    assert.match(await page.locator('.timeline-missing').textContent(), /削除された可能性があります/);
    const texts = await bodies(page);
    assert.ok(texts.includes(memo(60)) && texts.includes(memo(62)) && !texts.includes(memo(61)), 'the messages around it');
    assert.ok(await inView(page, messageById(page, ids[62])), 'where it was is in view');
  });

  it('saves screenshots in English and on a phone', async () => {
    const en = await newPage({ locale: 'en-US', viewport: desktop });
    await signIn(en, 'alice@example.test');
    await searchInHeader(en.page, '会議');
    await hits(en.page).nth(2).waitFor();
    assert.match(await en.page.locator('.search-summary').textContent(), /3 messages found for “会議”/);
    await en.page.locator('.search-box .search-input').blur();
    await en.page.mouse.move(1270, 790);
    await shot(en.page, 'search-en-desktop');
    await en.context.close();

    const ja = await newPage({ locale: 'ja-JP', viewport: phone });
    await signIn(ja, 'alice@example.test');
    await ja.page.getByRole('button', { name: '検索' }).click();
    await ja.page.locator('.search-page-input').fill('会議');
    await ja.page.locator('.search-page-input').press('Enter');
    await hits(ja.page).nth(2).waitFor();
    await ja.page.locator('.search-page-input').blur();
    await shot(ja.page, 'search-ja-phone');
    await hits(ja.page).filter({ hasText: FOUND }).click();
    const found = messageById(ja.page, foundId);
    await found.waitFor();
    assert.ok(await inView(ja.page, found), 'in view on a phone too');
    await ja.context.close();
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
