// Settings in the browser against a real kaiwa: editing the profile and the picture (the header
// follows at once, another user in a shared room sees the new name and picture live), switching
// the language, changing the password, signing out and in with the new one; screenshots of the
// page. Every page must finish without console errors or CSP violations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'new staple horse 2026';
// A 48x48 orange PNG.
const PICTURE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAQklEQVR4nO3OQQ0AIAwAsQlDGWqRgguOR5MK6Jy9vjL5QEhISKgeCAkJCdUDISEhoXogJCQkVA+EhISE6oGQkNBjF86YRtOiOONjAAAAAElFTkSuQmCC', 'base64');

describe('settings', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let groupRoom;
  let pageA;
  let pageK;
  const pages = [];

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    pages.push(p);
    return p;
  }

  async function signIn(p, email, password = PASSWORD) {
    await p.page.goto(server.url);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', password);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.room-list');
  }

  // A message by its author as the timeline names it (a grouped message shows no name of its
  // own, but its label carries it).
  const byAuthor = (page, author, text) => page.locator(`.messages li.message article[aria-label^="${author} "]`, { hasText: text });

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    ({ room_id: groupRoom } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Project Kaiwa 開発', members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), icon_preset: 'project',
    }));
    await v2(server.url, alice.api_token, 'POST', `/rooms/${groupRoom}/messages`, { body: 'Hello from Alice before the rename' });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens Settings from the header with the profile filled in', async () => {
    pageK = await newPage({ locale: 'en-US' });
    await signIn(pageK, 'ken@example.test');
    await pageK.page.locator(`button.room-item[data-room-id="${groupRoom}"]`).click();
    await byAuthor(pageK.page, 'Alice Tanaka', 'before the rename').waitFor();

    pageA = await newPage({ locale: 'ja-JP' });
    const { page } = pageA;
    await signIn(pageA, 'alice@example.test');
    await page.locator('header .me').click();
    await page.waitForURL(/\/settings$/);
    await page.getByRole('heading', { name: 'プロフィール' }).waitFor();
    assert.equal(await page.getByLabel('名前').inputValue(), 'Alice Tanaka');
    await page.getByText('alice@example.test').waitFor();
    await page.getByText('Kaiwa Labs').waitFor();
    assert.ok(await page.getByRole('button', { name: 'プロフィールを保存' }).isDisabled(), 'nothing to save yet');
  });

  it('refuses an empty name in place, then saves the profile; the header and the other user follow', async () => {
    const { page } = pageA;
    await page.getByLabel('名前').fill('   ');
    await page.getByRole('button', { name: 'プロフィールを保存' }).click();
    await page.getByRole('status').filter({ hasText: '名前を入力してください。' }).waitFor();
    assert.equal(await page.getByLabel('名前').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('名前').fill('鈴木 アリス');
    await page.getByLabel('役職').fill('プロダクトマネージャー');
    await page.getByLabel('部署').fill('開発部');
    await page.getByLabel('Web サイト').fill('https://example.com/alice');
    await page.getByLabel('自己紹介').fill('Kaiwa の開発をしています。\nよろしくお願いします。');
    await page.getByRole('button', { name: 'プロフィールを保存' }).click();
    await page.getByRole('status').filter({ hasText: 'プロフィールを保存しました。' }).waitFor();
    await page.locator('header .me .me-name', { hasText: '鈴木 アリス' }).waitFor();
    const me = await v2(server.url, alice.api_token, 'GET', '/me');
    assert.equal(me.name, '鈴木 アリス');
    assert.equal(me.title, 'プロダクトマネージャー');
    assert.equal(me.department, '開発部');
    assert.equal(me.introduction, 'Kaiwa の開発をしています。\nよろしくお願いします。');

    // Ken has the room open: the name changes live (account_updated), without a reload.
    await byAuthor(pageK.page, '鈴木 アリス', 'before the rename').waitFor({ timeout: 10000 });
  });

  it('uploads a picture with a preview, removes it, and uploads it again', async () => {
    const { page } = pageA;
    await page.locator('#settings-picture-file').setInputFiles({ name: 'alice.png', mimeType: 'image/png', buffer: PICTURE });
    const preview = page.getByRole('img', { name: '新しい画像のプレビュー' });
    await preview.waitFor();
    assert.match(await preview.getAttribute('src'), /^blob:/);
    await page.getByRole('button', { name: 'この画像にする' }).click();
    await page.getByRole('status').filter({ hasText: 'プロフィール画像を変更しました。' }).waitFor();
    const headerPicture = page.locator('header .me img.avatar');
    await headerPicture.waitFor();
    assert.match(await headerPicture.getAttribute('src'), new RegExp(`/avatars/${alice.account_id}/[0-9a-f]{64}\\.png$`));
    // The picture really loads (same origin, allowed by the CSP).
    await page.waitForFunction(() => {
      const img = document.querySelector('header .me img.avatar');
      return img && img.complete && img.naturalWidth === 48;
    });

    await page.getByRole('button', { name: '画像を削除' }).click();
    await page.getByRole('status').filter({ hasText: 'プロフィール画像を削除しました。' }).waitFor();
    await page.locator('header .me span.avatar').waitFor();
    assert.equal((await v2(server.url, alice.api_token, 'GET', '/me')).avatar_image_url, '');

    // A file that is not an allowed image is refused before upload.
    await page.locator('#settings-picture-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByRole('status').filter({ hasText: 'PNG・JPEG・GIF・WebP の画像を選んでください。' }).waitFor();

    await page.locator('#settings-picture-file').setInputFiles({ name: 'alice.png', mimeType: 'image/png', buffer: PICTURE });
    await page.getByRole('button', { name: 'この画像にする' }).click();
    await headerPicture.waitFor();

    // Ken sees the picture beside Alice's message, live.
    await pageK.page.locator('.messages li.message img.avatar').first().waitFor({ timeout: 10000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'settings-ja-desktop');
  });

  it('another user sees the new name and picture after a reload too', async () => {
    const { page } = pageK;
    await page.reload();
    await byAuthor(page, '鈴木 アリス', 'before the rename').waitFor();
    const src = await page.locator('.messages li.message img.avatar').first().getAttribute('src');
    assert.match(src, new RegExp(`/avatars/${alice.account_id}/`));
  });

  it('switches the language on the page', async () => {
    const { page } = pageA;
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('heading', { name: 'プロフィール' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Password' }).waitFor();
  });

  it('changes the password (refusing a wrong current one and a mismatch), signs out, and signs in with the new one', async () => {
    const { page } = pageA;
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'The two new passwords are different.' }).waitFor();
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    // The server refuses the wrong current password (400), which the browser logs.
    const untolerate = pageA.tolerate(/status of 400 .*\/kaiwa\/v1\/me\/password/);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'The current password is wrong.' }).waitFor();
    untolerate();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password was changed.' }).waitFor();

    await page.locator('.settings').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('input[name=email]');
    await page.fill('input[name=email]', 'alice@example.test');
    await page.fill('input[name=password]', PASSWORD);
    pageA.tolerate(/status of 401/);
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    await page.fill('input[name=password]', NEW_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.room-list');
    await page.locator('header .me .me-name', { hasText: '鈴木 アリス' }).waitFor();
  });

  it('has the language and sign-out on a phone, where the header hides them', async () => {
    const p = await newPage({ locale: 'en-US', viewport: phone });
    const { page } = p;
    await signIn(p, 'alice@example.test', NEW_PASSWORD);
    assert.equal(await page.locator('header .sign-out').isVisible(), false, 'the header hides sign-out on a phone');
    await page.locator('header .me').click();
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await page.locator('header .me img.avatar').waitFor();
    assert.ok(await page.getByRole('button', { name: '日本語' }).isVisible());
    const signOut = page.locator('.settings').getByRole('button', { name: 'Sign out' });
    await signOut.scrollIntoViewIfNeeded();
    assert.ok(await signOut.isVisible());
    await page.locator('.page-body').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'settings-en-phone');
    await signOut.click();
    await page.waitForSelector('input[name=email]');
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
