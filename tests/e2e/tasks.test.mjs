// Tasks in the web client, in Debian's chromium against a real kaiwa: Alice makes a task from one
// of Ken's messages (assigned to Ken, with a due date); Ken sees it arrive in My Tasks and on the
// header's badge without a reload, marks it done; it leaves his open list and shows under Done;
// Alice's room Tasks tab follows live. Also: the room tab's Add task form, the dialog's keyboard
// behaviour, readonly members, and screenshots of the views.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desktop, launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DAY = 86400;

// A day `offset` days from today, as the date field's value and as end of that day (local).
function day(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  d.setHours(23, 59, 59, 0);
  return { value, endUnix: Math.floor(d.getTime() / 1000) };
}

describe('tasks', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let mina;
  let room;
  let salesRoom;
  let pageA;
  let pageB;
  const pages = [];
  const KEN_MESSAGE = 'Could you send the revised quote to Hoshino Trading?';

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    pages.push(p);
    return p;
  }

  async function signIn(p, email, path = '/') {
    await p.page.goto(server.url + path);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.main-nav');
  }

  const roomButton = (page, id) => page.locator(`button.room-item[data-room-id="${id}"]`);
  const message = (page, text) => page.locator('.messages li.message', { hasText: text });
  // Ken's message (the task notice quoting it comes after it).
  const kenMessage = (page) => message(page, KEN_MESSAGE).first();
  const myTasks = (page) => page.getByTestId('my-tasks');
  const taskRow = (scope, text) => scope.locator('li.task-row', { hasText: text });
  const badge = (page) => page.locator('.nav-item-tasks [data-testid=tasks-badge]');

  async function badgeCount(page) {
    return (await badge(page).count()) === 0 ? 0 : Number(await badge(page).textContent());
  }

  async function waitBadge(page, n) {
    await page.waitForFunction((want) => {
      const el = document.querySelector('.nav-item-tasks [data-testid=tasks-badge]');
      return (el ? Number(el.textContent) : 0) === want;
    }, n, { timeout: 5000 });
  }

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    mina = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Mina Ito', '--email', 'mina@example.test', '--password', PASSWORD);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, mina.account_id);
    ({ room_id: room } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: '営業チーム Sales', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), members_readonly_ids: String(mina.account_id), icon_preset: 'business',
    }));
    ({ room_id: salesRoom } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Website renewal', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id),
    }));
    const now = Math.floor(Date.now() / 1000);
    const seed = [
      [room, alice, ken, '先方への請求書を発行する', day(-2).endUnix, 'date'],
      [salesRoom, alice, ken, 'トップページのデザイン案を <b>確認</b>', now + 3600, 'time'],
      [salesRoom, alice, ken, 'Write the release notes for v2.4', day(6).endUnix, 'date'],
      [room, alice, ken, '議事録を共有する', 0, 'none'],
      [room, ken, alice, 'Book the meeting room for Friday', day(3).endUnix, 'date'],
      [salesRoom, ken, alice, 'Review the analytics report', 0, 'none'],
    ];
    for (const [r, by, to, body, limit, limitType] of seed) {
      await v2(server.url, by.api_token, 'POST', `/rooms/${r}/tasks`, { body, to_ids: String(to.account_id), ...(limit ? { limit: String(limit) } : {}), limit_type: limitType });
    }
    const { task_ids: [doneId] } = await v2(server.url, alice.api_token, 'POST', `/rooms/${salesRoom}/tasks`, { body: '競合サイトの調査', to_ids: String(ken.account_id) });
    await v2(server.url, ken.api_token, 'PUT', `/rooms/${salesRoom}/tasks/${doneId}/status`, { body: 'done' });
    await v2(server.url, alice.api_token, 'POST', `/rooms/${room}/messages`, { body: 'Morning all. The Hoshino deal is moving forward.' });
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: KEN_MESSAGE });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows My Tasks in sections with overdue and due today marked', async () => {
    pageB = await newPage({ locale: 'ja-JP' });
    await signIn(pageB, 'ken@example.test', '/tasks');
    const { page } = pageB;
    const list = myTasks(page);
    await taskRow(list, '先方への請求書').waitFor();
    assert.deepEqual(await list.locator('.task-section-title').evaluateAll((els) => els.map((e) => e.firstChild.textContent)), ['期限切れ', '今日が期限', '今後', '期限なし']);
    const overdue = taskRow(list, '先方への請求書');
    assert.match(await overdue.getAttribute('class'), /task-row-overdue/);
    assert.equal(await overdue.locator('.task-due-flag').textContent(), '期限切れ');
    assert.equal(await taskRow(list, 'トップページ').locator('.task-due-flag').textContent(), '今日');
    assert.equal(await overdue.locator('.task-room').textContent(), '営業チーム Sales');
    assert.equal(await taskRow(list, 'トップページ').locator('.task-body b').count(), 0, 'a task body is never HTML');
    assert.match(await taskRow(list, 'トップページ').locator('.task-body').textContent(), /<b>確認<\/b>/);
    assert.equal(await taskRow(list, '競合サイト').count(), 0, 'done tasks are under Done');
    await waitBadge(page, 4);
    assert.match(await page.locator('.nav-item-tasks').textContent(), /未完了のタスク 4 件/);
    await sleep(150);
    await shot(page, 'tasks-ja-desktop');
  });

  it('makes a task from a message in an accessible dialog', async () => {
    pageA = await newPage({ locale: 'en-US' });
    await signIn(pageA, 'alice@example.test');
    const { page } = pageA;
    await roomButton(page, room).click();
    const msg = kenMessage(page);
    await msg.waitFor();
    await msg.hover();
    const action = msg.getByRole('button', { name: 'Task', exact: true });
    await action.click();
    const dialog = page.getByRole('dialog', { name: 'Add a task' });
    await dialog.waitFor();
    assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus moves into the dialog');
    assert.equal(await dialog.getByLabel('Task', { exact: true }).inputValue(), KEN_MESSAGE);
    assert.ok(await dialog.getByRole('checkbox', { name: '佐藤 健' }).isChecked(), 'the author is the suggested assignee');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Task', 'focus goes back to the action');

    await msg.hover();
    await action.click();
    await dialog.waitFor();
    // Nothing chosen: a clear message, no request.
    await dialog.getByRole('checkbox', { name: '佐藤 健' }).uncheck();
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Choose at least one person.' }).waitFor();
    await dialog.getByRole('checkbox', { name: '佐藤 健' }).check();
    await dialog.getByLabel('Due date').fill(day(2).value);
    await sleep(100);
    await shot(page, 'task-dialog-en-desktop');
    pageA.before = await badgeCount(pageB.page);
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.locator('.messages .task-card', { hasText: 'revised quote' });
    await card.waitFor({ timeout: 5000 });
    assert.match(await card.textContent(), /佐藤 健/);
    assert.match(await card.textContent(), /Due /);
    assert.match(await page.locator('.messages .info-box', { hasText: 'revised quote' }).locator('.info-title').textContent(), /Task added/);
  });

  it('reaches the assignee live, and done leaves the open list for Done', async () => {
    const { page } = pageB;
    const list = myTasks(page);
    const row = taskRow(list, 'revised quote');
    await row.waitFor({ timeout: 5000 }); // no reload
    await waitBadge(page, 5);
    assert.equal(await row.locator('.task-due-flag').count(), 0, 'due in two days: neither overdue nor today');
    assert.equal(await row.locator('xpath=ancestor::section[1]').getAttribute('class'), 'task-section task-section-upcoming');

    // Alice watches the room's open tasks while Ken finishes it.
    await pageA.page.getByRole('button', { name: 'Tasks', exact: true }).click();
    const roomTasks = pageA.page.getByTestId('room-tasks');
    await taskRow(roomTasks, 'revised quote').waitFor();
    assert.match(await taskRow(roomTasks, 'revised quote').locator('.task-person').textContent(), /佐藤 健/);

    await row.getByRole('checkbox').click(); // the row moves away at once: check() would wait for it
    await row.waitFor({ state: 'detached', timeout: 5000 });
    await page.getByRole('status').filter({ hasText: 'タスクを完了にしました。' }).waitFor();
    await waitBadge(page, 4);
    await page.getByRole('button', { name: '完了', exact: true }).click();
    const doneRow = taskRow(list, 'revised quote');
    await doneRow.waitFor();
    assert.ok(await doneRow.getByRole('checkbox').isChecked());
    assert.equal(await list.getAttribute('data-status'), 'done');

    // Alice's tab: gone from open, there under Done.
    await taskRow(roomTasks, 'revised quote').waitFor({ state: 'detached', timeout: 5000 });
    await roomTasks.getByRole('button', { name: 'Done', exact: true }).click();
    const aliceDone = taskRow(roomTasks, 'revised quote');
    await aliceDone.waitFor();
    assert.ok(await aliceDone.getByRole('checkbox').isChecked(), 'shown done; Alice assigned it, so she may reopen it');
    // In the timeline: the "task added" card now shows it done, and a "task done" notice follows.
    await pageA.page.waitForFunction(() => [...document.querySelectorAll('.messages .task-card-done')].filter((c) => c.textContent.includes('revised quote')).length === 2, null, { timeout: 5000 });
    assert.match(await pageA.page.locator('.messages .info-box', { hasText: 'revised quote' }).last().locator('.info-title').textContent(), /Task completed/);
  });

  it('reopens from Done', async () => {
    const { page } = pageB;
    const list = myTasks(page);
    await taskRow(list, 'revised quote').getByRole('checkbox').click();
    await taskRow(list, 'revised quote').waitFor({ state: 'detached', timeout: 5000 });
    await waitBadge(page, 5);
    await page.getByRole('button', { name: /^未完了/ }).click();
    await taskRow(list, 'revised quote').waitFor();
    // And done again, with the undo line.
    await taskRow(list, 'revised quote').getByRole('checkbox').click(); // the row moves away at once: check() would wait for it
    await taskRow(list, 'revised quote').waitFor({ state: 'detached', timeout: 5000 });
    await page.getByRole('button', { name: '元に戻す' }).click();
    await taskRow(list, 'revised quote').waitFor({ timeout: 5000 });
    await waitBadge(page, 5);
  });

  it('adds a task in the room tab, and links My Tasks to the room', async () => {
    const { page } = pageB;
    await taskRow(myTasks(page), '議事録').getByRole('button', { name: '営業チーム Sales で開く' }).click();
    // The room opens at the task's notice, highlighted.
    await page.locator('.messages li.message-focus', { hasText: '議事録を共有する' }).waitFor();
    assert.match(page.url(), new RegExp(`/rooms/${room}\\?message=\\d+$`));
    await page.locator('.panel-tabs').getByRole('button', { name: 'タスク', exact: true }).click();
    const tab = page.getByTestId('room-tasks');
    await taskRow(tab, '議事録').waitFor();
    assert.equal(await taskRow(tab, '先方への請求書').getByRole('checkbox').count(), 1, 'his own task has a checkbox');
    await tab.getByRole('button', { name: 'タスクを追加' }).click();
    const form = tab.locator('form.task-form');
    await form.getByLabel('タスク内容').fill('見積書のレビュー <i>お願いします</i>');
    await form.getByRole('checkbox', { name: 'Alice Tanaka' }).check();
    await form.getByLabel('期限日').fill(day(0).value);
    await form.getByLabel('時刻（任意）').fill('18:00');
    await form.getByRole('button', { name: 'タスクを追加' }).click();
    await tab.getByRole('status').filter({ hasText: 'タスクを追加しました。' }).waitFor();
    const added = taskRow(tab, '見積書のレビュー');
    await added.waitFor({ timeout: 5000 });
    assert.match(await added.locator('.task-person').textContent(), /Alice Tanaka/);
    assert.equal(await added.locator('.task-body i').count(), 0);
    assert.equal(await added.getByRole('checkbox').count(), 1, 'Ken assigned it, so he may change it');
    await sleep(150);
    await shot(page, 'room-tasks-ja-desktop');
    // Only the tasks Ken assigned (assigned_by_account_id), then only his own (account_id).
    const filter = tab.getByRole('combobox', { name: '表示するタスク' });
    await filter.selectOption('byMe');
    await taskRow(tab, '議事録').waitFor({ state: 'detached', timeout: 5000 });
    await taskRow(tab, 'Book the meeting room').waitFor({ timeout: 5000 });
    assert.deepEqual((await tab.locator('.task-body').allTextContents()).sort(), ['Book the meeting room for Friday', '見積書のレビュー <i>お願いします</i>']);
    await filter.selectOption('mine');
    await taskRow(tab, '議事録').waitFor({ timeout: 5000 });
    assert.equal(await taskRow(tab, 'Book the meeting room').count(), 0);
    await filter.selectOption('all');
    // Alice's badge: her open tasks went up live.
    await waitBadge(pageA.page, 3);
  });

  it('hides Add task and the Task action from a readonly member', async () => {
    const p = await newPage({ locale: 'en-US' });
    await signIn(p, 'mina@example.test', `/rooms/${room}`);
    await kenMessage(p.page).waitFor();
    assert.equal(await kenMessage(p.page).getByRole('button', { name: 'Task', exact: true }).count(), 0);
    await p.page.getByRole('button', { name: 'Tasks', exact: true }).click();
    const tab = p.page.getByTestId('room-tasks');
    await taskRow(tab, '議事録').waitFor();
    assert.equal(await tab.getByRole('button', { name: 'Add task' }).count(), 0);
    assert.equal(await taskRow(tab, '議事録').getByRole('checkbox').count(), 0, 'not hers to change');
    assert.equal(await taskRow(tab, '議事録').getByRole('img', { name: 'Open', exact: true }).count(), 1);
    await p.context.close();
  });

  it('saves screenshots of My Tasks', async () => {
    await pageA.page.getByRole('button', { name: 'My Tasks' }).click();
    await taskRow(myTasks(pageA.page), 'Book the meeting room').waitFor();
    await sleep(150);
    await shot(pageA.page, 'tasks-en-desktop');
    const p = await newPage({ locale: 'ja-JP', viewport: phone });
    await signIn(p, 'ken@example.test', '/tasks');
    await taskRow(myTasks(p.page), '先方への請求書').waitFor();
    await sleep(150);
    await shot(p.page, 'tasks-ja-phone');
    await taskRow(myTasks(p.page), '議事録').getByRole('button', { name: '営業チーム Sales で開く' }).click();
    await kenMessage(p.page).waitFor();
    await p.page.locator('.panel-tabs').getByRole('button', { name: 'タスク', exact: true }).click();
    await taskRow(p.page.getByTestId('room-tasks'), '議事録').waitFor();
    await sleep(150);
    await shot(p.page, 'room-tasks-ja-phone');
    await p.context.close();
    assert.ok(desktop.width > phone.width);
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
