// Live badges without a request per message: Ken keeps a room open while Alice posts into
// another; his browser counts the unread messages and the one real mention from the stream (the
// [To:] inside a quote does not count), asks the server nothing, and opening the room clears
// the badges with one PUT. Reading elsewhere, drift and the self-check on coming back to the tab.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('live unread and mention badges', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let news;
  let ken1; // Ken's first tab
  const pages = [];

  const roomButton = (page, id) => page.locator(`button.room-item[data-room-id="${id}"]`);
  const unreadBadge = (page, id) => roomButton(page, id).locator('[data-testid=unread-badge]');
  const mentionBadge = (page, id) => roomButton(page, id).locator('[data-testid=mention-badge]');

  // Every API request a page makes, as "METHOD /path".
  function recordRequests(page) {
    const list = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/v2/') || (u.pathname.startsWith('/kaiwa/') && !u.pathname.endsWith('/stream'))) list.push(`${r.method()} ${u.pathname}`);
    });
    return list;
  }

  // Resolves once the page's stream said it is live (the `ready` notice).
  function streamReady(page) {
    return new Promise((resolve) => {
      page.on('websocket', (ws) => ws.on('framereceived', (f) => {
        if (String(f.payload).includes('"ready"')) resolve();
      }));
    });
  }

  async function signIn(p, email) {
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    const ready = streamReady(p.page);
    await p.page.goto(server.url);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.room-list');
    await ready;
  }

  const post = (who, roomId, body, extra = {}) => v2(server.url, who.api_token, 'POST', `/rooms/${roomId}/messages`, { body, ...extra });
  const roomAs = (who, roomId) => v2(server.url, who.api_token, 'GET', `/rooms/${roomId}`);

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    ({ room_id: news } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Release news', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), icon_preset: 'meeting',
    }));
    await post(alice, news, 'Welcome to the release channel.');
    browser = await launch();
  });

  after(async () => {
    for (const p of pages) assert.deepEqual(p.problems, [], `no console errors or CSP violations:\n${p.log.join('\n')}`);
    await browser?.close();
    await server?.stop();
  });

  it('counts messages in another room from the stream, with no request', async () => {
    ken1 = await openPage(browser, { locale: 'en-US' });
    pages.push(ken1);
    await signIn(ken1, 'ken@example.test');
    const { page } = ken1;
    await roomButton(page, ken.room_id).click(); // Ken reads his My Chat
    await page.waitForSelector('.messages, .timeline');
    await roomButton(page, news).click();
    await unreadBadge(page, news).waitFor({ state: 'detached', timeout: 5000 });
    await roomButton(page, ken.room_id).click();
    await sleep(500);
    const requests = recordRequests(page);

    await post(alice, news, 'v2.4 is tagged.');
    await post(alice, news, `[To:${ken.account_id}]佐藤さん can you check the release notes?`);
    await post(alice, news, `[qt][qtmeta aid=${ken.account_id} time=1700000000][To:${ken.account_id}] earlier question[/qt]Answered above.`);
    await post(alice, news, `[code]notify [To:${ken.account_id}] is only text here[/code]`);
    await post(alice, news, 'Deploy starts at 15:00.');

    await page.waitForFunction((id) => document.querySelector(`button.room-item[data-room-id="${id}"] [data-testid=unread-badge]`)?.textContent === '5', news, { timeout: 5000 });
    assert.equal(await mentionBadge(page, news).textContent(), '@1');
    const server1 = await roomAs(ken, news);
    assert.equal(server1.unread_num, 5, 'the server agrees');
    assert.equal(server1.mention_num, 1, 'the server agrees');
    await sleep(600); // a coalesced refresh would have gone out by now
    assert.deepEqual(requests.filter((r) => r === `GET /v2/rooms/${news}`), [], 'no GET of the room per message');
    assert.deepEqual(requests, [], 'no request at all for five messages in another room');
    await shot(page, 'rooms-live-badges-en-desktop');
  });

  it('clears the badges with one PUT when the room is opened', async () => {
    const { page } = ken1;
    const requests = recordRequests(page);
    await roomButton(page, news).click();
    await page.locator('.messages li.message', { hasText: 'Deploy starts' }).waitFor();
    await unreadBadge(page, news).waitFor({ state: 'detached', timeout: 5000 });
    await mentionBadge(page, news).waitFor({ state: 'detached', timeout: 5000 });
    await sleep(500);
    assert.deepEqual(requests.filter((r) => r.startsWith('PUT ')), [`PUT /v2/rooms/${news}/messages/read`]);
    assert.equal(requests.filter((r) => r === `GET /v2/rooms/${news}`).length, 0, 'no GET before marking read');
    const after1 = await roomAs(ken, news);
    assert.equal(after1.unread_num, 0);
    assert.equal(after1.mention_num, 0);
  });

  it('marks new messages read in the room being read, coalesced, without a GET', async () => {
    const { page } = ken1;
    const requests = recordRequests(page);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => post(alice, news, `burst ${i}`)));
    await page.locator('.messages li.message', { hasText: 'burst 6' }).waitFor();
    await sleep(800);
    const puts = requests.filter((r) => r === `PUT /v2/rooms/${news}/messages/read`).length;
    assert.ok(puts >= 1 && puts <= 3, `a burst of six costs one or two PUTs (got ${puts}: ${requests.join(', ')})`);
    assert.equal(requests.filter((r) => r.startsWith('GET /v2/rooms')).length, 0, 'no GET of rooms');
    assert.equal(await unreadBadge(page, news).count(), 0);
    assert.equal((await roomAs(ken, news)).unread_num, 0, 'read on the server too');
  });

  it('follows a read in another tab: one GET of that room', async () => {
    const { page } = ken1;
    await roomButton(page, ken.room_id).click();
    await post(alice, news, 'Unread until the other tab reads it.');
    await unreadBadge(page, news).waitFor({ timeout: 5000 });
    const requests = recordRequests(page);
    // Ken's second tab (same session) reads the room.
    const tab2 = await ken1.context.newPage();
    await tab2.goto(`${server.url}/rooms/${news}`);
    await tab2.locator('.messages li.message', { hasText: 'Unread until' }).waitFor();
    await unreadBadge(page, news).waitFor({ state: 'detached', timeout: 5000 });
    await tab2.close();
    assert.deepEqual(requests.filter((r) => r.startsWith('GET /v2/rooms')), [`GET /v2/rooms/${news}`], 'the messages_read event carries no counts: one GET');
  });

  it('corrects drift with one GET /v2/rooms when the tab comes back', async () => {
    const { page } = ken1;
    // Ken posts with self_unread=1 from a bot: unread for him on the server, invisible to the
    // stream's count (his own message).
    await post(ken, news, 'A reminder I left unread for myself', { self_unread: '1' });
    await sleep(500);
    assert.equal(await unreadBadge(page, news).count(), 0, 'the client cannot know');
    assert.equal((await roomAs(ken, news)).unread_num, 1);
    const requests = recordRequests(page);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForFunction((id) => document.querySelector(`button.room-item[data-room-id="${id}"] [data-testid=unread-badge]`)?.textContent === '1', news, { timeout: 5000 });
    await sleep(300);
    assert.deepEqual(requests.filter((r) => r.startsWith('GET /v2/rooms')), ['GET /v2/rooms'], 'one request for all rooms');
  });
});
