// Joining a group chat by its invitation link in the web client, in Debian's chromium against a
// real kaiwa. Alice (English, desktop) makes two group chats with links through the API. Bob
// (another organization, not a contact; English, phone) opens the first link signed out, signs
// in, comes back to the invitation, sees the preview and joins: the room opens and Alice's
// messages arrive live. Carol (another organization; Japanese, desktop) asks to join the second
// (need_acceptance): Alice sees the request appear live in the Members tab and approves it, and
// the room appears in Carol's list live. No console errors or CSP violations anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';

describe('invitation links', () => {
  let server;
  let browser;
  let alice;
  let bob;
  let carol;
  let openRoom;
  let approvalRoom;
  let pageA; // Alice, English, desktop
  let pageB; // Bob, English, phone
  let pageC; // Carol, Japanese, desktop
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    pages.push(p);
    return p;
  }

  async function signIn(p, email, url = server.url) {
    await p.page.goto(url);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
  }

  // Runs a step; on failure keeps a screenshot and the pages' logs to explain it.
  async function step(name, fn) {
    try {
      await fn();
    } catch (e) {
      for (const [i, p] of pages.entries()) {
        await shot(p.page, `failed-invitations-${name}-${i}`).catch(() => undefined);
        console.error(`page ${i}:\n${p.log.join('\n')}`);
      }
      throw e;
    }
  }

  async function groupWithLink(name, description, { code, linkDescription, needAcceptance }) {
    const { room_id: roomId } = await v2(server.url, alice.api_token, 'POST', '/rooms', { name, description, members_admin_ids: String(alice.account_id) });
    const link = await v2(server.url, alice.api_token, 'POST', `/rooms/${roomId}/link`, { code, description: linkDescription, need_acceptance: needAcceptance ? '1' : '0' });
    assert.equal(link.public, true);
    assert.ok(link.url.endsWith(`/g/${code}`), link.url);
    return roomId;
  }

  before(async () => {
    server = await startServer();
    const { organization_id: labs } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    const { organization_id: trading } = await admin(server.dataDir, 'org', 'create', '--name', 'Example Trading');
    const { organization_id: design } = await admin(server.dataDir, 'org', 'create', '--name', 'デザイン事務所');
    alice = await admin(server.dataDir, 'account', 'create', '--org', labs, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    bob = await admin(server.dataDir, 'account', 'create', '--org', trading, '--name', 'Bob Smith', '--email', 'bob@example.test', '--password', PASSWORD);
    carol = await admin(server.dataDir, 'account', 'create', '--org', design, '--name', '佐藤 美咲', '--email', 'carol@example.test', '--password', PASSWORD);
    openRoom = await groupWithLink('Product launch 2027', 'Everything about the spring launch.', { code: 'launch-2027', linkDescription: 'Open to partners working on the spring launch. Say hello when you join!', needAcceptance: false });
    approvalRoom = await groupWithLink('経営企画 Planning', 'Quarterly planning.', { code: 'planning-desk', linkDescription: '四半期計画の共有チャットです。参加には管理者の承認が必要です。', needAcceptance: true });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${openRoom}/messages`, { body: 'Kick-off notes are pinned in the Files tab.' });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a signed-out invitee signs in, comes back to the invitation, joins and gets messages live', async () => {
    pageA = await newPage({ locale: 'en-US' });
    await signIn(pageA, 'alice@example.test');
    await pageA.page.waitForSelector('.room-list');
    await pageA.page.locator(`button.room-item[data-room-id="${openRoom}"]`).click();
    await pageA.page.locator('.room-title', { hasText: 'Product launch 2027' }).waitFor();

    pageB = await newPage({ locale: 'en-US', viewport: phone });
    const { page } = pageB;
    await step('signin-note', async () => {
      await page.goto(`${server.url}/g/launch-2027`);
      await page.getByTestId('signin-note').waitFor();
      assert.match(await page.getByTestId('signin-note').textContent(), /invited/);
      await signIn(pageB, 'bob@example.test', page.url());
    });
    await step('preview', async () => {
      const card = page.getByTestId('invitation');
      await card.getByTestId('invitation-name').waitFor();
      assert.equal(new URL(page.url()).pathname, '/g/launch-2027', 'signing in keeps the invitation address');
      assert.equal(await card.getByTestId('invitation-name').textContent(), 'Product launch 2027');
      assert.equal(await card.getByTestId('invitation-members').textContent(), '1 member');
      assert.equal(await card.getByTestId('invitation-description').textContent(), 'Open to partners working on the spring launch. Say hello when you join!');
      assert.equal(await page.locator(`button.room-item[data-room-id="${openRoom}"]`).count(), 0, 'not in Bob\'s list yet');
      await shot(page, 'invitation-en-phone');
    });
    await step('join', async () => {
      await page.getByRole('button', { name: 'Join the chat' }).click();
      await page.locator('.room-title', { hasText: 'Product launch 2027' }).waitFor({ timeout: 5000 });
      assert.equal(new URL(page.url()).pathname, `/rooms/${openRoom}`);
      // The join notice, in Chatwork's words, for both sides.
      await page.locator('.messages li.message', { hasText: 'Bob Smith' }).first().waitFor({ timeout: 5000 });
      await pageA.page.locator('.messages li.message', { hasText: 'Bob Smith joined' }).waitFor({ timeout: 5000 });
      await pageA.page.locator('.room-sub', { hasText: '2' }).waitFor({ timeout: 5000 });
    });
    await step('live', async () => {
      await v2(server.url, alice.api_token, 'POST', `/rooms/${openRoom}/messages`, { body: 'Welcome aboard, Bob!' });
      await page.locator('.messages li.message', { hasText: 'Welcome aboard, Bob!' }).waitFor({ timeout: 5000 });
      await page.fill('.composer-input', 'Thanks, happy to be here.');
      await page.keyboard.press('Enter');
      await pageA.page.locator('.messages li.message', { hasText: 'Thanks, happy to be here.' }).waitFor({ timeout: 5000 });
    });
    await step('again', async () => {
      // The link again, now as a member: straight to the chat.
      await page.goto(`${server.url}/g/launch-2027`);
      await page.getByRole('button', { name: 'Open the chat' }).click();
      await page.locator('.room-title', { hasText: 'Product launch 2027' }).waitFor({ timeout: 5000 });
    });
  });

  it('a request to join waits for an admin, who sees it live in the Members tab and approves it', async () => {
    pageC = await newPage({ locale: 'ja-JP' });
    const { page } = pageC;
    await signIn(pageC, 'carol@example.test');
    await page.waitForSelector('.room-list');
    const { page: admin } = pageA;
    await step('admin-members', async () => {
      await admin.locator(`button.room-item[data-room-id="${approvalRoom}"]`).click();
      await admin.locator('.room-title', { hasText: '経営企画 Planning' }).waitFor();
      await admin.getByRole('button', { name: 'Members', exact: true }).click();
      await admin.getByTestId('members-panel').waitFor();
      assert.equal(await admin.getByTestId('join-requests').count(), 0, 'no section while nobody waits');
    });
    await step('request', async () => {
      await page.goto(`${server.url}/g/planning-desk`);
      const card = page.getByTestId('invitation');
      await card.getByTestId('invitation-name').waitFor();
      assert.equal(await card.getByTestId('invitation-members').textContent(), 'メンバー 1人');
      assert.match(await card.textContent(), /参加には管理者の承認が必要です/);
      await shot(page, 'invitation-ja-desktop');
      await page.getByRole('button', { name: '参加をリクエスト' }).click();
      await card.getByTestId('invitation-pending').waitFor({ timeout: 5000 });
      assert.match(await card.getByTestId('invitation-pending').textContent(), /管理者の承認を待っています/);
      assert.equal(await page.getByRole('button', { name: '参加をリクエスト' }).count(), 0, 'no second request button');
    });
    await step('admin-sees', async () => {
      const section = admin.getByTestId('join-requests');
      await section.locator('.join-request', { hasText: '佐藤 美咲' }).waitFor({ timeout: 5000 });
      assert.match(await section.textContent(), /デザイン事務所/);
      await admin.getByTestId('members-panel').evaluate((el) => el.scrollTo(0, 0));
      await shot(admin, 'join-requests-en-desktop');
    });
    await step('approve', async () => {
      await admin.getByRole('button', { name: 'Approve 佐藤 美咲' }).click();
      await admin.getByTestId('join-requests').getByText('佐藤 美咲 joined the chat.').waitFor({ timeout: 5000 });
      await admin.getByTestId('members-panel').locator('.member', { hasText: '佐藤 美咲' }).waitFor({ timeout: 5000 });
      // Carol's page follows: the answer, and the room in her list.
      await page.getByText('参加リクエストが承認されました').waitFor({ timeout: 5000 });
      await page.locator(`button.room-item[data-room-id="${approvalRoom}"]`, { hasText: '経営企画 Planning' }).waitFor({ timeout: 5000 });
      await page.getByRole('button', { name: 'チャットを開く' }).click();
      await page.locator('.room-title', { hasText: '経営企画 Planning' }).waitFor({ timeout: 5000 });
      await v2(server.url, alice.api_token, 'POST', `/rooms/${approvalRoom}/messages`, { body: 'ようこそ、佐藤さん！' });
      await page.locator('.messages li.message', { hasText: 'ようこそ、佐藤さん！' }).waitFor({ timeout: 5000 });
    });
  });

  it('explains a link that does not work', async () => {
    const { page, tolerate } = pageB;
    tolerate(/status of 404/);
    await step('unknown', async () => {
      await page.goto(`${server.url}/g/no-such-link`);
      await page.getByText('This invitation link does not work').waitFor();
      await page.getByRole('button', { name: 'Back to your chats' }).first().click();
      await page.locator('.room-list').waitFor();
      assert.ok(!new URL(page.url()).pathname.startsWith('/g/'), 'back at the chats');
    });
  });

  it('had no console errors or CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
