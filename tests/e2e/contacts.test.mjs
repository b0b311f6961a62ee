// Contacts, contact requests, group chats, members and invitation links in the web client, in
// Debian's chromium against a real kaiwa. Three accounts: Alice and her colleague Carol (same
// organization), Bob elsewhere. Alice asks Bob from the Contacts page; Bob sees the request live
// with a badge and accepts; Alice makes a group chat with Bob (and Carol by account ID) from the
// dialog; Bob sees it appear; Alice makes Bob an admin in the Members tab and creates an
// invitation link. No console errors or CSP violations anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('contacts and group chats', () => {
  let server;
  let browser;
  let alice;
  let bob;
  let carol;
  let groupRoom;
  let pageA; // Alice, Japanese, desktop
  let pageB; // Bob, English, desktop
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
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

  // Runs a step; on failure keeps a screenshot and the pages' logs to explain it.
  async function step(name, fn) {
    try {
      await fn();
    } catch (e) {
      for (const [i, p] of pages.entries()) {
        await shot(p.page, `failed-contacts-${name}-${i}`).catch(() => undefined);
        console.error(`page ${i}:\n${p.log.join('\n')}`);
      }
      throw e;
    }
  }

  const requestResult = (page) => page.getByTestId('request-result');

  async function sendRequest(page, id, message = '') {
    await page.fill('input[name=contact_to]', String(id));
    await page.fill('input[name=message]', message);
    const seq = Number(await requestResult(page).getAttribute('data-seq'));
    await page.click('.add-contact-send');
    await page.waitForFunction((prev) => Number(document.querySelector('[data-testid=request-result]')?.dataset.seq) > prev, seq);
    return { kind: await requestResult(page).getAttribute('data-result'), text: await requestResult(page).textContent() };
  }

  before(async () => {
    server = await startServer();
    const { organization_id: labs } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    const { organization_id: other } = await admin(server.dataDir, 'org', 'create', '--name', 'Example Trading');
    alice = await admin(server.dataDir, 'account', 'create', '--org', labs, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    carol = await admin(server.dataDir, 'account', 'create', '--org', labs, '--name', '山田 花子', '--email', 'carol@example.test', '--password', PASSWORD);
    bob = await admin(server.dataDir, 'account', 'create', '--org', other, '--name', 'Bob Smith', '--email', 'bob@example.test', '--password', PASSWORD);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a contact request from the Contacts page, with a clear answer for each case', async () => {
    pageB = await newPage({ locale: 'en-US' });
    await signIn(pageB, 'bob@example.test');
    pageA = await newPage({ locale: 'ja-JP' });
    // Refusals the test asks for: the browser logs their status lines.
    pageA.tolerate(/status of 40[04] .*\/kaiwa\/v1\/contact_requests/);
    pageA.tolerate(/status of 400 .*\/v2\/rooms\/\d+\/members/);
    await signIn(pageA, 'alice@example.test');
    const { page } = pageA;
    await step('send', async () => {
      await page.getByRole('button', { name: 'コンタクト' }).click();
      await page.waitForSelector('.contacts-page');
      assert.ok(page.url().endsWith('/contacts'));
      assert.equal(await page.getByTestId('my-account-id').textContent(), String(alice.account_id));
      await page.locator('.contacts-empty', { hasText: 'コンタクトはまだいません' }).waitFor();

      let r = await sendRequest(page, 'abc');
      assert.equal(r.kind, 'invalid');
      r = await sendRequest(page, 999999);
      assert.equal(r.kind, 'notFound');
      assert.match(r.text, /999999/);
      r = await sendRequest(page, alice.account_id);
      assert.equal(r.kind, 'self');
      assert.match(r.text, /あなた自身/);
      r = await sendRequest(page, bob.account_id, 'Bob さん、よろしくお願いします！');
      assert.equal(r.kind, 'sent');
      assert.match(r.text, /リクエストを送信しました/);
      r = await sendRequest(page, bob.account_id);
      assert.equal(r.kind, 'pending');

      // By email (any case): the same answer whether or not the address has an account.
      r = await sendRequest(page, 'Carol@EXAMPLE.test', 'メールで失礼します');
      assert.equal(r.kind, 'sentEmail');
      assert.match(r.text, /Carol@EXAMPLE\.test にリクエストを送信しました/);
      const toCarol = await v2(server.url, carol.api_token, 'GET', '/incoming_requests');
      assert.deepEqual(toCarol.map((x) => [x.account_id, x.message]), [[alice.account_id, 'メールで失礼します']]);
      r = await sendRequest(page, 'nobody@example.test');
      assert.equal(r.kind, 'sentEmail');
      r = await sendRequest(page, 'carol@example.test');
      assert.equal(r.kind, 'sentEmail', 'a repeat answers alike');
      r = await sendRequest(page, 'ALICE@example.test');
      assert.equal(r.kind, 'self');
      r = await sendRequest(page, 'bob@');
      assert.equal(r.kind, 'invalidEmail');
    });
  });

  it('shows the request to the other side live with a badge; accepting makes both contacts', async () => {
    const { page } = pageB;
    await step('accept', async () => {
      const badge = page.getByTestId('contacts-badge');
      await badge.waitFor({ timeout: 5000 });
      assert.equal(await badge.textContent(), '1');
      await page.getByRole('button', { name: /^Contacts \(1 contact request waiting\)$/ }).click();
      const request = page.locator('.contact-request', { hasText: 'Alice Tanaka' });
      await request.waitFor();
      assert.match(await request.textContent(), /Bob さん、よろしくお願いします！/);
      assert.match(await request.textContent(), /Kaiwa Labs/);
      await shot(page, 'contacts-requests-en-desktop');
      await page.getByRole('button', { name: 'Accept the request from Alice Tanaka' }).click();
      await page.locator('.contacts-status', { hasText: 'Alice Tanaka is now a contact.' }).waitFor();
      await badge.waitFor({ state: 'detached' });
      await page.locator(`.contact-item[data-account-id="${alice.account_id}"]`).waitFor();
      assert.equal(await page.locator('.contact-request').count(), 0);

      // Alice's page follows live, and asking again says so.
      const bobOnA = pageA.page.locator(`.contact-item[data-account-id="${bob.account_id}"]`);
      await bobOnA.waitFor({ timeout: 5000 });
      assert.match(await bobOnA.textContent(), /Example Trading/);
      const r = await sendRequest(pageA.page, bob.account_id);
      assert.equal(r.kind, 'already');
      assert.match(r.text, /Bob Smith はすでにコンタクトです/);
      await pageA.page.fill('.contacts-filter', 'example');
      assert.equal(await pageA.page.locator('.contact-item').count(), 1);
      await pageA.page.fill('.contacts-filter', 'nobody');
      await pageA.page.locator('.contacts-empty', { hasText: '該当するコンタクトはいません' }).waitFor();
      await pageA.page.fill('.contacts-filter', '');
      await shot(pageA.page, 'contacts-ja-desktop');

      // A click opens the direct chat.
      await bobOnA.click();
      await pageA.page.locator('.room-title', { hasText: 'Bob Smith' }).waitFor();
      assert.match(pageA.page.url(), /\/rooms\/\d+$/);
    });
  });

  it('creates a group chat from the dialog; the new member sees it appear live', async () => {
    const { page } = pageA;
    await step('group', async () => {
      await page.getByTestId('new-group-compact').click();
      const dialog = page.getByRole('dialog', { name: 'グループチャットを新規作成' });
      await dialog.waitFor();
      // Nothing to create without a name.
      await dialog.getByRole('button', { name: '作成', exact: true }).click();
      await dialog.getByRole('alert').filter({ hasText: 'チャット名を入力してください' }).waitFor();
      await dialog.getByLabel('チャット名').fill('Release 2.0 リリース');
      await dialog.getByLabel('概要').fill('リリース準備の連絡用');
      await dialog.getByRole('radio', { name: 'プロジェクト' }).check();
      await dialog.locator(`.person-choice[data-account-id="${bob.account_id}"] input[type=checkbox]`).check();
      // Carol is a colleague, not a contact: the server's colleague list finds her by email.
      await dialog.getByLabel('メンバーを絞り込み').fill('CAROL');
      const colleague = dialog.locator('.people-group', { hasText: '同じ組織の人' }).locator(`.person-choice[data-account-id="${carol.account_id}"]`);
      await colleague.waitFor({ timeout: 5000 });
      await colleague.locator('input[type=checkbox]').check();
      await dialog.getByLabel('メンバーを絞り込み').fill('');
      const carolRole = dialog.locator(`.person-choice[data-account-id="${carol.account_id}"] select`);
      await carolRole.selectOption('readonly');
      assert.match(await dialog.textContent(), /あなた以外に 2 人を選択中/);
      await sleep(100);
      await shot(page, 'new-group-ja-desktop');
      await dialog.getByRole('button', { name: '作成', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.room-title', { hasText: 'Release 2.0 リリース' }).waitFor({ timeout: 5000 });
      groupRoom = Number(/\/rooms\/(\d+)$/.exec(page.url())[1]);

      // Bob sees the room arrive without reloading.
      await pageB.page.locator(`button.room-item[data-room-id="${groupRoom}"]`, { hasText: 'Release 2.0' }).waitFor({ timeout: 5000 });

      // The server has it as asked.
      const members = await v2(server.url, alice.api_token, 'GET', `/rooms/${groupRoom}/members`);
      const roles = Object.fromEntries(members.map((m) => [m.account_id, m.role]));
      assert.deepEqual(roles, { [alice.account_id]: 'admin', [bob.account_id]: 'member', [carol.account_id]: 'readonly' });
      const room = await v2(server.url, alice.api_token, 'GET', `/rooms/${groupRoom}`);
      assert.equal(room.description, 'リリース準備の連絡用');
      assert.match(room.icon_path, /\/project\.png$/);
    });
  });

  it('changes roles in the Members tab, refuses to drop the last admin, and the other side follows', async () => {
    const { page } = pageA;
    await step('members', async () => {
      await page.getByRole('button', { name: 'メンバー', exact: true }).click();
      const panel = page.getByTestId('members-panel');
      await panel.locator('li.member').nth(2).waitFor();
      assert.equal(await panel.locator('li.member').count(), 3);
      await panel.locator('.room-summary-description', { hasText: 'リリース準備の連絡用' }).waitFor();

      // The only admin may not make themselves a member: the server refuses, the view says why.
      const mine = panel.getByLabel('Alice Tanaka さんの権限');
      await mine.selectOption('member');
      await panel.getByRole('alert').filter({ hasText: '管理者が 1 人以上必要です' }).waitFor();
      assert.equal(await mine.inputValue(), 'admin');

      // Bob opens the room and its Members tab: read-only for him.
      await pageB.page.locator(`button.room-item[data-room-id="${groupRoom}"]`).click();
      await pageB.page.getByRole('button', { name: 'Members', exact: true }).click();
      const panelB = pageB.page.getByTestId('members-panel');
      const bobRow = panelB.locator(`li.member[data-account-id="${bob.account_id}"]`);
      await bobRow.waitFor();
      assert.equal(await bobRow.getAttribute('data-role'), 'member');
      assert.equal(await panelB.locator('select').count(), 0, 'no role controls for a member');
      assert.equal(await panelB.getByRole('button', { name: 'Delete the chat' }).count(), 0);
      await panelB.getByRole('button', { name: 'Leave the chat' }).waitFor();

      await panel.getByLabel('Bob Smith さんの権限').selectOption('admin');
      await panel.getByRole('status').filter({ hasText: 'Bob Smith さんの権限を「管理者」にしました' }).waitFor();

      // Bob sees his new role live, and the admin's controls with it.
      await panelB.locator(`li.member[data-account-id="${bob.account_id}"][data-role="admin"]`).waitFor({ timeout: 5000 });
      await panelB.getByText('You are an admin of this chat.').waitFor({ timeout: 5000 });
      await panelB.getByLabel('Role of Bob Smith').waitFor();
      assert.equal(await panelB.getByLabel('Role of Bob Smith').inputValue(), 'admin');
    });
  });

  it('creates an invitation link and shows its URL', async () => {
    const { page } = pageA;
    await step('link', async () => {
      const panel = page.getByTestId('members-panel');
      await panel.getByRole('button', { name: 'リンクを作成' }).click();
      const url = panel.getByTestId('link-url');
      await url.waitFor({ timeout: 5000 });
      assert.match(await url.inputValue(), new RegExp(`/g/[A-Za-z0-9_-]+$`));
      const link = await v2(server.url, alice.api_token, 'GET', `/rooms/${groupRoom}/link`);
      assert.equal(link.public, true);
      assert.equal(await url.inputValue(), link.url);
      // Bob, an admin now, sees the same link arrive.
      const urlB = pageB.page.getByTestId('members-panel').getByTestId('link-url');
      await urlB.waitFor({ timeout: 5000 });
      assert.equal(await urlB.inputValue(), link.url);
      await sleep(200);
      await shot(pageB.page, 'members-en-desktop');
      await shot(page, 'members-ja-desktop');

      // Copy puts the URL on the clipboard.
      await pageA.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await panel.getByRole('button', { name: 'コピー', exact: true }).click();
      await panel.getByRole('button', { name: 'コピーしました', exact: true }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link.url);
    });
  });

  it('edits the room; the other side follows', async () => {
    const { page } = pageA;
    await step('edit', async () => {
      const panel = page.getByTestId('members-panel');
      await panel.evaluate((el) => el.closest('.room-panel-body').scrollTo(0, 0));
      await panel.getByRole('button', { name: '編集', exact: true }).click();
      await panel.getByLabel('チャット名').fill('Release 2.1 リリース');
      await panel.getByLabel('概要').fill('2.1 の準備');
      await panel.getByRole('radio', { name: '会議' }).check();
      await panel.getByRole('button', { name: '保存', exact: true }).click();
      await panel.getByRole('status').filter({ hasText: '保存しました' }).waitFor();
      await page.locator('.room-title', { hasText: 'Release 2.1 リリース' }).waitFor({ timeout: 5000 });
      await pageB.page.locator(`button.room-item[data-room-id="${groupRoom}"]`, { hasText: 'Release 2.1 リリース' }).waitFor({ timeout: 5000 });
      await pageB.page.getByTestId('members-panel').getByText('2.1 の準備').waitFor({ timeout: 5000 });
      const room = await v2(server.url, alice.api_token, 'GET', `/rooms/${groupRoom}`);
      assert.equal(room.description, '2.1 の準備');
      assert.match(room.icon_path, /\/meeting\.png$/);
    });
  });

  it('removes a member, lets a member leave, and deletes the room', async () => {
    const { page } = pageA;
    await step('leave', async () => {
      const panel = page.getByTestId('members-panel');
      const panelB = pageB.page.getByTestId('members-panel');
      page.once('dialog', (d) => d.accept());
      await panel.getByRole('button', { name: '山田 花子 さんをチャットから外す' }).click();
      await panel.locator(`li.member[data-account-id="${carol.account_id}"]`).waitFor({ state: 'detached', timeout: 5000 });
      await panelB.locator(`li.member[data-account-id="${carol.account_id}"]`).waitFor({ state: 'detached', timeout: 5000 });

      // "Add members" offers her again among the colleagues (filtered by the server).
      await panel.getByRole('button', { name: 'メンバーを追加' }).click();
      await panel.getByLabel('メンバーを絞り込み').fill('山田');
      await panel.locator('.add-members .people-group', { hasText: '同じ組織の人' }).getByRole('button', { name: '山田 花子 さんを追加' }).waitFor({ timeout: 5000 });
      await shot(page, 'members-add-ja-desktop');
      await panel.locator('.add-members').getByRole('button', { name: '閉じる' }).click();

      pageB.page.once('dialog', (d) => d.accept());
      await panelB.getByRole('button', { name: 'Leave the chat' }).click();
      await pageB.page.locator(`button.room-item[data-room-id="${groupRoom}"]`).waitFor({ state: 'detached', timeout: 5000 });
      await panel.locator(`li.member[data-account-id="${bob.account_id}"]`).waitFor({ state: 'detached', timeout: 5000 });
      assert.equal(await panel.locator('li.member').count(), 1);

      page.once('dialog', (d) => d.accept());
      await panel.getByRole('button', { name: 'チャットを削除' }).click();
      await page.locator(`button.room-item[data-room-id="${groupRoom}"]`).waitFor({ state: 'detached', timeout: 5000 });
      await page.locator('.no-room').waitFor();
      await assert.rejects(v2(server.url, alice.api_token, 'GET', `/rooms/${groupRoom}`), /→ 404/);
    });
  });

  it('lists contacts on a phone', async () => {
    const p = await newPage({ locale: 'en-US', viewport: phone });
    await step('phone', async () => {
      await signIn(p, 'bob@example.test');
      await p.page.getByRole('button', { name: 'Contacts' }).click();
      await p.page.locator(`.contact-item[data-account-id="${alice.account_id}"]`).waitFor();
      await sleep(100);
      await shot(p.page, 'contacts-en-phone');
      await p.page.getByRole('button', { name: 'New group' }).click();
      await p.page.getByRole('dialog', { name: 'New group chat' }).waitFor();
      await shot(p.page, 'new-group-en-phone');
      await p.page.keyboard.press('Escape');
      await p.page.getByRole('dialog').waitFor({ state: 'detached' });
    });
    await p.context.close();
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
