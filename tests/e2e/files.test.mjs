// Files and the composer's tools in Debian's chromium against a real kaiwa: uploading by the
// attach button and by dropping a file on the room (with a message, progress, cancel, the 413
// limit), the file card with an image preview that really loads in the other user's browser,
// the larger view, downloading, the room's Files tab, the To picker, and the Enter-to-send
// setting. Every page must finish without console errors or CSP violations.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { desktop, launch, openPage, phone, shot } from './support/browser.mjs';
import { admin, startServer, v2 } from './support/server.mjs';

const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A valid RGB PNG of a soft diagonal gradient with a band: something worth previewing.
function makePng(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const band = Math.abs(y - height * 0.62 - Math.sin(x / 18) * 10) < 7;
      const i = row + 1 + x * 3;
      raw[i] = band ? 255 : 26 + Math.round((x / width) * 60);
      raw[i + 1] = band ? 196 : 93 + Math.round((y / height) * 90);
      raw[i + 2] = band ? 64 : 204 - Math.round((x / width) * 40);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('files and composer tools', () => {
  let server;
  let browser;
  let alice;
  let ken;
  let mina;
  let room;
  let pageA; // Alice, English
  let pageB; // Ken, Japanese
  const pages = [];
  const png = makePng(320, 200);

  async function newPage(opts) {
    const p = await openPage(browser, opts);
    pages.push(p);
    return p;
  }

  async function signIn(p, email) {
    p.tolerate(/status of 401 .*\/kaiwa\/v1\/session/);
    await p.page.goto(server.url);
    await p.page.fill('input[name=email]', email);
    await p.page.fill('input[name=password]', PASSWORD);
    await p.page.click('button[type=submit]');
    await p.page.waitForSelector('.room-list');
  }

  const roomButton = (page, id) => page.locator(`button.room-item[data-room-id="${id}"]`);
  const message = (page, text) => page.locator('.messages li.message', { hasText: text });

  // Runs a step, and on failure saves a screenshot and the page's log to explain it.
  async function explained(p, name, fn) {
    try {
      return await fn();
    } catch (e) {
      await shot(p.page, `failed-${name}`);
      console.error(`${name}:\n${p.log.join('\n')}`);
      throw e;
    }
  }

  before(async () => {
    server = await startServer();
    const { organization_id: org } = await admin(server.dataDir, 'org', 'create', '--name', 'Kaiwa Labs');
    alice = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Alice Tanaka', '--email', 'alice@example.test', '--password', PASSWORD);
    ken = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', '佐藤 健', '--email', 'ken@example.test', '--password', PASSWORD);
    mina = await admin(server.dataDir, 'account', 'create', '--org', org, '--name', 'Mina Park', '--email', 'mina@example.test', '--password', PASSWORD);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, ken.account_id);
    await admin(server.dataDir, 'contact', 'add', alice.account_id, mina.account_id);
    ({ room_id: room } = await v2(server.url, alice.api_token, 'POST', '/rooms', {
      name: 'Design review デザイン', members_admin_ids: String(alice.account_id), members_member_ids: `${ken.account_id},${mina.account_id}`, icon_preset: 'idea',
    }));
    await v2(server.url, ken.api_token, 'POST', `/rooms/${room}/messages`, { body: 'New mockups are ready? 新しいモックを共有してください。' });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('uploads a PNG by the attach button; the other user sees its card and preview live', async () => {
    pageA = await newPage({ locale: 'en-US' });
    pageB = await newPage({ locale: 'ja-JP' });
    await signIn(pageA, 'alice@example.test');
    await signIn(pageB, 'ken@example.test');
    await roomButton(pageA.page, room).click();
    await roomButton(pageB.page, room).click();
    await message(pageB.page, 'New mockups').waitFor();

    await explained(pageA, 'upload-button', async () => {
      const { page } = pageA;
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Attach files' }).click();
      await (await chooser).setFiles({ name: 'mockup-v2.png', mimeType: 'image/png', buffer: png });
      const tray = page.locator('[data-testid=upload-tray]');
      await tray.waitFor();
      assert.match(await tray.locator('.upload-name').textContent(), /mockup-v2\.png/);
      // The tray takes the focus: Enter in its message field uploads.
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'upload-message');
      await page.keyboard.type('The second round of mockups');
      await page.keyboard.press('Enter');
      await tray.waitFor({ state: 'detached', timeout: 10000 });
      await message(page, 'The second round of mockups').locator('.file-card').waitFor({ timeout: 5000 });
    });

    await explained(pageB, 'preview-live', async () => {
      const { page } = pageB;
      const msg = message(page, 'The second round of mockups');
      await msg.waitFor({ timeout: 5000 });
      const card = msg.locator('.file-card');
      assert.equal(await card.locator('.file-name').textContent(), 'mockup-v2.png');
      assert.match(await card.locator('.file-size').textContent(), /KB|B$/);
      assert.equal(await card.locator('.file-icon').textContent(), 'PNG');
      assert.equal(await msg.locator('.info-box-file .info-title').textContent(), 'ファイルをアップロードしました');
      const img = card.locator('img.file-thumb-img');
      await img.waitFor({ timeout: 10000 });
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 10000 });
      assert.equal(await img.evaluate((el) => el.naturalWidth), 320);
      assert.match(await img.getAttribute('src'), /^blob:/);
    });
  });

  it('uploads a file dropped on the room, with a message', async () => {
    await explained(pageA, 'drop', async () => {
      const { page } = pageA;
      // A drag of files over the room shows the drop zone.
      await page.evaluate(() => {
        const zone = document.querySelector('.file-drop');
        const dt = new DataTransfer();
        dt.items.add(new File(['agenda\n- mockups\n- release\n'], 'meeting-notes.txt', { type: 'text/plain' }));
        window.__drop = dt;
        zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
        zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      });
      const zone = page.locator('[data-testid=drop-zone]');
      await zone.waitFor();
      assert.match(await zone.textContent(), /Drop files/);
      await shot(page, 'drop-zone-en-desktop');
      const dropped = await page.evaluate(() => {
        const zone = document.querySelector('.timeline');
        // Not cancelled by the page → the browser would open the file instead.
        return !zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__drop }));
      });
      assert.ok(dropped, 'the page takes the drop');
      await zone.waitFor({ state: 'detached' });
      const tray = page.locator('[data-testid=upload-tray]');
      await tray.waitFor();
      assert.match(await tray.textContent(), /meeting-notes\.txt/);
      await tray.locator('.upload-message').fill('Notes from today');
      await tray.getByRole('button', { name: 'Upload' }).click();
      await tray.waitFor({ state: 'detached', timeout: 10000 });
    });
    await explained(pageB, 'drop-live', async () => {
      const card = message(pageB.page, 'Notes from today').locator('.file-card');
      await card.waitFor({ timeout: 5000 });
      assert.equal(await card.locator('.file-name').textContent(), 'meeting-notes.txt');
      assert.equal(await card.locator('.file-size').textContent(), '27 B');
      assert.equal(await card.locator('.file-thumb').count(), 0, 'no preview for a text file');
    });
    await pageB.page.locator('.timeline').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await sleep(300);
    await shot(pageB.page, 'files-ja-desktop');
  });

  it('downloads a file with its name and bytes', async () => {
    const { page } = pageA;
    const card = message(page, 'Notes from today').locator('.file-card');
    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Download meeting-notes.txt' }).click();
    const d = await download;
    assert.equal(d.suggestedFilename(), 'meeting-notes.txt');
    const chunks = [];
    for await (const c of await d.createReadStream()) chunks.push(c);
    assert.equal(Buffer.concat(chunks).toString(), 'agenda\n- mockups\n- release\n');
  });

  it('opens a larger view of an image; Escape closes it', async () => {
    const { page } = pageB;
    const thumb = message(page, 'The second round of mockups').locator('.file-thumb');
    await thumb.click();
    const dialog = page.getByRole('dialog', { name: '画像: mockup-v2.png' });
    await dialog.waitFor();
    await page.waitForFunction(() => (document.querySelector('dialog .image-viewer-img')?.naturalWidth ?? 0) > 0);
    assert.ok(await dialog.evaluate((d) => d.open && d.matches(':modal')), 'a modal dialog');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), '閉じる', 'focus moves into the dialog');
    await shot(page, 'image-viewer-ja-desktop');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('file-thumb')), true, 'focus returns to the preview');
  });

  it("lists the room's files in the Files tab, live", async () => {
    await explained(pageA, 'files-tab', async () => {
      const { page } = pageA;
      await page.getByRole('button', { name: 'Files', exact: true }).click();
      const panel = page.locator('[data-testid=room-files]');
      await panel.locator('.file-row').nth(1).waitFor();
      const names = await panel.locator('.file-row .file-name').allTextContents();
      assert.deepEqual(names, ['meeting-notes.txt', 'mockup-v2.png'], 'newest first');
      const pngRow = panel.locator('.file-row', { hasText: 'mockup-v2.png' });
      assert.match(await pngRow.locator('.file-row-meta').textContent(), /KB · Alice Tanaka · /);
      await page.waitForFunction(() => [...document.querySelectorAll('.room-files img.file-thumb-img')].some((i) => i.naturalWidth > 0));
      // A file Ken uploads appears without reloading.
      const fd = new FormData();
      fd.append('file', new Blob(['%PDF-1.4 fake'], { type: 'application/pdf' }), 'release-plan.pdf');
      const res = await fetch(`${server.url}/v2/rooms/${room}/files`, { method: 'POST', headers: { 'X-ChatWorkToken': ken.api_token }, body: fd });
      assert.equal(res.status, 200);
      await panel.locator('.file-row', { hasText: 'release-plan.pdf' }).waitFor({ timeout: 5000 });
      assert.match(await panel.locator('.file-row', { hasText: 'release-plan.pdf' }).textContent(), /佐藤 健/);
      // Filtered by who shared them.
      await panel.locator('.files-filter select').selectOption(String(ken.account_id));
      await page.waitForFunction(() => document.querySelectorAll('.room-files .file-row').length === 1);
      assert.deepEqual(await panel.locator('.file-row .file-name').allTextContents(), ['release-plan.pdf']);
      await panel.locator('.files-filter select').selectOption('');
      await panel.locator('.file-row').nth(2).waitFor();
      await sleep(200);
      await shot(page, 'room-files-en-desktop');
      await page.getByRole('button', { name: 'Close the panel' }).click();
    });
  });

  it('addresses a member with the To picker', async () => {
    await explained(pageB, 'to-picker', async () => {
      const { page } = pageB;
      const box = page.locator('.composer-input');
      await page.getByRole('button', { name: /TO/ }).click();
      const filter = page.getByRole('combobox', { name: 'メンバーを絞り込み' });
      await filter.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('to-filter')), true);
      const options = page.locator('.to-option');
      // To all first (a group chat), then the others; not Ken himself.
      assert.deepEqual(await options.locator('.to-option-name').allTextContents(), ['全員宛て（TO ALL）', 'Alice Tanaka', 'Mina Park']);
      await shot(page, 'to-picker-ja-desktop');
      await page.keyboard.press('ArrowDown');
      assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
      assert.equal(await filter.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
      await page.keyboard.type('min');
      assert.deepEqual(await options.locator('.to-option-name').allTextContents(), ['Mina Park']);
      await page.keyboard.press('Escape');
      await filter.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('to-button')), true, 'Escape returns to the button');

      await page.keyboard.press('Enter'); // opens it again
      await filter.waitFor();
      await page.keyboard.type('ali');
      await page.keyboard.press('Enter');
      await filter.waitFor({ state: 'detached' });
      assert.equal(await box.inputValue(), `[To:${alice.account_id}]Alice Tanaka\n`);
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('composer-input')), true, 'back in the message box');
      await page.keyboard.type('モックを確認しました。');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('.composer-input')?.value === '');
    });
    await explained(pageA, 'to-chip', async () => {
      const msg = message(pageA.page, 'モックを確認しました');
      await msg.waitFor({ timeout: 5000 });
      assert.equal(await msg.locator('.chip-to.chip-me').textContent(), 'ToAlice Tanaka');
      assert.match(await msg.getAttribute('class'), /message-mention/);
    });
    // To all.
    const { page } = pageB;
    await page.getByRole('button', { name: /TO/ }).click();
    await page.locator('.to-option').first().click();
    assert.equal(await page.locator('.composer-input').inputValue(), '[toall]\n');
    await page.fill('.composer-input', '');
  });

  it('keeps the Enter-to-send setting; off, Enter breaks the line and Ctrl+Enter sends', async () => {
    await explained(pageA, 'enter-to-send', async () => {
      const { page } = pageA;
      const toggle = page.getByRole('checkbox', { name: 'Enter to send' });
      assert.equal(await toggle.isChecked(), true, 'on by default');
      await toggle.uncheck();
      assert.match(await page.locator('.composer-input').getAttribute('placeholder'), /Ctrl\+Enter/);
      await page.reload();
      await page.locator('.composer-input').waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Enter to send' }).isChecked(), false, 'remembered');
      assert.equal(await page.evaluate(() => localStorage.getItem('kaiwa.enterToSend')), '0');
      const box = page.locator('.composer-input');
      await box.click();
      await page.keyboard.type('first line');
      await page.keyboard.press('Enter');
      await page.keyboard.type('second line');
      assert.equal(await box.inputValue(), 'first line\nsecond line');
      await sleep(300);
      assert.equal(await message(page, 'first line').count(), 0, 'Enter did not send');
      await page.keyboard.press('Control+Enter');
      const msg = message(page, 'first line');
      await msg.waitFor({ timeout: 5000 });
      assert.equal(await msg.locator('.message-body').textContent(), 'first line\nsecond line');
      await page.getByRole('checkbox', { name: 'Enter to send' }).check();
    });
  });

  it('refuses a file over the limit at once, with the limit, without sending it', async () => {
    const { page } = pageA;
    // The session told the client the server's limit (5 MB here): nothing goes out.
    const uploads = [];
    const onRequest = (r) => { if (/\/files$/.test(new URL(r.url()).pathname) && r.method() === 'POST') uploads.push(r.url()); };
    page.on('request', onRequest);
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'huge-video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
    const tray = page.locator('[data-testid=upload-tray]');
    const alert = tray.getByRole('alert');
    await alert.waitFor({ timeout: 2000 });
    assert.match(await alert.textContent(), /too large to upload: the limit is 5 MB\./);
    assert.equal(await tray.getByRole('button', { name: 'Upload' }).count(), 0, 'nothing left to upload');
    assert.equal(await tray.getByRole('button', { name: 'Retry' }).count(), 0, 'no retry for a file that cannot fit');
    await sleep(300);
    page.off('request', onRequest);
    assert.deepEqual(uploads, [], 'no upload request was made');
    await shot(page, 'upload-error-en-desktop');
    await tray.getByRole('button', { name: 'Remove huge-video.mp4' }).click();
    await tray.waitFor({ state: 'detached' });
  });

  it('refuses a drop from a read-only member', async () => {
    await v2(server.url, alice.api_token, 'PUT', `/rooms/${room}/members`, {
      members_admin_ids: String(alice.account_id), members_member_ids: String(ken.account_id), members_readonly_ids: String(mina.account_id),
    });
    const p = await newPage({ locale: 'en-US' });
    await signIn(p, 'mina@example.test');
    await explained(p, 'readonly-drop', async () => {
      const { page } = p;
      await roomButton(page, room).click();
      await page.locator('.readonly-note').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Attach files' }).count(), 0);
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
        window.__drop = dt;
        document.querySelector('.timeline').dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      });
      const zone = page.locator('[data-testid=drop-zone]');
      await zone.waitFor();
      assert.match(await zone.textContent(), /read this chat but not upload/);
      const taken = await page.evaluate(() => !document.querySelector('.timeline').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__drop })));
      assert.ok(taken, 'the browser does not open the dropped file either');
      await zone.waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-testid=upload-tray]').count(), 0);
    });
    await p.context.close();
  });

  it('shows progress while uploading and cancels an upload (phone)', async () => {
    const p = await newPage({ locale: 'en-US', viewport: phone });
    await signIn(p, 'alice@example.test');
    await explained(p, 'progress', async () => {
      const { page } = p;
      await roomButton(page, room).click();
      await page.locator('.composer-input').waitFor();
      const cdp = await p.context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
      await page.locator('[data-testid=file-input]').setInputFiles([
        { name: 'site-photos.zip', mimeType: 'application/zip', buffer: Buffer.alloc(3 * 1024 * 1024, 7) },
        { name: 'floor-plan.png', mimeType: 'image/png', buffer: png },
      ]);
      const tray = page.locator('[data-testid=upload-tray]');
      await tray.getByRole('button', { name: 'Upload' }).click();
      const bar = tray.locator('progress.upload-progress');
      await bar.waitFor();
      await page.waitForFunction(() => Number(document.querySelector('progress.upload-progress')?.value) >= 15, null, { timeout: 20000 });
      assert.equal(await bar.getAttribute('aria-label'), 'Uploading site-photos.zip');
      await shot(page, 'upload-progress-en-phone');
      await tray.getByRole('button', { name: 'Cancel uploading site-photos.zip' }).click();
      // The next file goes on; the cancelled one never reaches the chat.
      await tray.waitFor({ state: 'detached', timeout: 10000 });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await message(page, 'floor-plan.png').waitFor({ timeout: 5000 });
      const files = await v2(server.url, alice.api_token, 'GET', `/rooms/${room}/files`);
      assert.deepEqual(files.map((f) => f.filename).sort(), ['floor-plan.png', 'meeting-notes.txt', 'mockup-v2.png', 'release-plan.pdf']);
    });
    await p.context.close();
  });

  it('saw no console errors and no CSP violations', () => {
    for (const p of pages) assert.deepEqual(p.problems, []);
  });
});
