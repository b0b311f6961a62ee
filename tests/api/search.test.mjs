// Message search: GET /kaiwa/v1/search (docs/api/kaiwa-openapi.yaml, issue 4).
//
// The Japanese corpus (fixtures/search_corpus.json) is posted into three rooms; each query's
// expected entries are written down there by hand. Other tests use rooms of their own with
// users who are in no corpus room, so they never change the corpus answers.
//
// Index lag is not asserted here (benchmarks measure it): where a change must show, the test
// polls with a generous deadline and then asserts the exact answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, expectStatus, checkResponse, rawRequest } from './support/server.mjs';
import {
  makeOrg, makeUsers, makeUser, makeRoom, postMessage, nowSec, assertAccount,
} from './support/fixtures.mjs';
import {
  SEARCH, corpus, validateResults, search, checkSnippets, hitIds, snippetText, markedTexts, eventually,
  expectHitsEventually, seedCorpus, expectedIds, entryIdsOf,
} from './support/search.mjs';

let srv;
let seed; // the corpus world
let ito; let watanabe; let kato; // actors of the non-corpus tests (in no corpus room)

before(async () => {
  srv = await startServer();
  seed = await seedCorpus(srv);
  [ito, watanabe, kato] = await makeUsers(srv, seed.org, ['Jun Ito', 'Yui Watanabe', 'Sho Kato']);
});

after(async () => { await srv?.stop(); });

const U = (key) => seed.users[key];
const roomIdsOf = (keys) => keys.map((k) => seed.rooms[k]).join(',');
const accountIdsOf = (keys) => keys.map((k) => U(k).account_id).join(',');

// --- query words, for checking what the snippet marks (not for deciding what matches) ---------

// As the lexicon compares: NFKC, case, the long-vowel mark and hyphens as one, blanks ignored
// (a space inside a phrase matches a space or none).
const norm = (s) => s.normalize('NFKC').toLowerCase().replace(/[\u30FC\u2010-\u2015\u2212-]/g, '-').replace(/\s+/g, '');

/** The words and phrases of a query that are looked for (not excluded). */
function positiveWords(q) {
  const tokens = [];
  const re = /"((?:[^"\\]|\\.)*)"|[^ \u3000"]+/g;
  for (let m; (m = re.exec(q));) {
    tokens.push(m[1] !== undefined ? { w: m[1].replace(/\\(.)/g, '$1'), phrase: true } : { w: m[0] });
  }
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.phrase && t.w === 'NOT') { i++; continue; }
    if (!t.phrase && t.w === 'OR') continue;
    if (!t.phrase && t.w.startsWith('-')) continue;
    out.push(t.w);
  }
  return out;
}

/** Whether s is one or more query words run together (adjacent matches may share a fragment). */
function isWordRun(s, words) {
  const target = norm(s);
  const ws = words.map(norm).filter(Boolean);
  const ok = new Array(target.length + 1).fill(false);
  ok[0] = true;
  for (let i = 0; i < target.length; i++) {
    if (!ok[i]) continue;
    for (const w of ws) if (target.startsWith(w, i)) ok[i + w.length] = true;
  }
  return ok[target.length];
}

const hasNotation = (body) => /\[[^\]]*\]/.test(body);

/** A corpus hit: its room, sender and snippet agree with the entry it was posted as. */
function checkCorpusHit(hit, q, what) {
  const entry = seed.entryOf.get(hit.message_id);
  if (!entry) return; // reported by the id comparison
  assert.equal(hit.room_id, seed.rooms[entry.room], `${what}: ${entry.id}'s room_id`);
  assertAccount(hit.account, U(entry.sender), `${what}: ${entry.id}'s account`);
  assert.ok(Number.isInteger(hit.score), `${what}: score`);
  const text = snippetText(hit);
  if (!hasNotation(entry.body)) {
    assert.ok(entry.body.includes(text), `${what}: ${entry.id}'s snippet ${JSON.stringify(text)} must be a substring of the message ${JSON.stringify(entry.body)}`);
  } else {
    for (const f of hit.snippet) {
      assert.ok(entry.body.includes(f.text) || !f.match, `${what}: ${entry.id}: marked ${JSON.stringify(f.text)} is not in the message`);
    }
    assert.ok(!/[[\]]/.test(text), `${what}: ${entry.id}: notation left in the snippet ${JSON.stringify(text)}`);
  }
  for (const marked of markedTexts(hit)) {
    assert.ok(isWordRun(marked, positiveWords(q)),
      `${what}: ${entry.id}: the snippet marks ${JSON.stringify(marked)}, which is not a word of the query ${JSON.stringify(q)}: ${JSON.stringify(hit.snippet)}`);
  }
}

// --- schema ---------------------------------------------------------------------------------

test('a 200 answer matches SearchResults of the OpenAPI file, whose schema really checks the hits', async () => {
  const hit = {
    room_id: 1, message_id: '1', account: { account_id: 1, name: 'a', avatar_image_url: 'x' },
    send_time: 1, update_time: 0, score: 1, snippet: [{ text: 'a', match: true }],
  };
  assert.equal(validateResults({ total: 1, hits: [hit], has_more: false }), true);
  assert.equal(validateResults({ total: 1, hits: [{ ...hit, message_id: 1 }], has_more: false }), false, 'message_id must be a string');
  assert.equal(validateResults({ total: 1, hits: [{ ...hit, snippet: [] }], has_more: false }), false, 'snippet has at least one fragment');
  assert.equal(validateResults({ total: 1, hits: [{ ...hit, snippet: [{ text: '', match: false }] }], has_more: false }), false, 'fragments are not empty');
  assert.equal(validateResults({ hits: [], has_more: false }), false, 'total is required');

  const res = expectStatus(await search(U('yamada'), { q: '会議' }), 200);
  assert.ok(res.json.hits.length > 0);
  const none = expectStatus(await search(U('yamada'), { q: 'こーひー' }), 200, 'no hit is a 200, never a 204');
  assert.deepEqual(none.json, { total: 0, hits: [], has_more: false });
});

// --- the corpus -----------------------------------------------------------------------------

test('corpus: every query finds exactly its written-down entries, newest first (recall, normalization, notation, syntax)', async (t) => {
  for (const c of corpus.queries) {
    await t.test(`${c.q} → [${c.expect.join(' ')}]`, async () => {
      const res = expectStatus(await search(U('yamada'), { q: c.q, limit: 100 }, { snippets: false }), 200, `q=${c.q}`);
      assert.deepEqual(entryIdsOf(seed, res), [...c.expect].sort((a, b) => seed.index[b] - seed.index[a]),
        `q=${JSON.stringify(c.q)} (${c.why || 'see the fixture'})`);
      assert.deepEqual(hitIds(res), expectedIds(seed, c.expect));
      assert.equal(res.json.total, c.expect.length, `q=${c.q}: total`);
      assert.equal(res.json.has_more, false);
      for (const h of res.json.hits) checkCorpusHit(h, c.q, `q=${c.q}`);
      checkSnippets(res);
    });
  }
});

test('corpus: snippets mark the matched words as written in the message (width, case, long-vowel variants)', async (t) => {
  for (const s of corpus.snippets) {
    await t.test(`${s.q} in ${s.entry} marks ${JSON.stringify(s.marked)}`, async () => {
      const entry = corpus.messages.find((m) => m.id === s.entry);
      const res = expectStatus(await search(U('yamada'), { q: s.q, room_id: seed.rooms[entry.room], limit: 100 }, { snippets: false }), 200);
      const hit = res.json.hits.find((h) => h.message_id === seed.msgId[s.entry]);
      assert.ok(hit, `q=${s.q}: ${s.entry} must be a hit; got ${JSON.stringify(entryIdsOf(seed, res))}`);
      assert.deepEqual(markedTexts(hit), s.marked, `q=${s.q}: snippet ${JSON.stringify(hit.snippet)}`);
      checkCorpusHit(hit, s.q, `q=${s.q}`);
    });
  }
});

// --- permissions ----------------------------------------------------------------------------

test('permissions: each caller finds only the corpus entries of the rooms they belong to (readonly included)', async (t) => {
  for (const c of corpus.by_user) {
    await t.test(`${c.q} as ${c.as} → [${c.expect.join(' ')}]`, async () => {
      const res = expectStatus(await search(U(c.as), { q: c.q, limit: 100 }), 200);
      assert.deepEqual(entryIdsOf(seed, res), [...c.expect].sort((a, b) => seed.index[b] - seed.index[a]), c.why);
      assert.equal(res.json.total, c.expect.length);
    });
  }
  // Every query, as every caller: exactly what yamada (in all three rooms) gets, restricted to
  // the caller's rooms. This isolates the room filter from matching (checked in the corpus test).
  const answers = new Map();
  for (const c of corpus.queries) {
    answers.set(c.q, expectStatus(await search(U('yamada'), { q: c.q, limit: 100 }, { snippets: false }), 200).json.hits);
  }
  for (const who of ['sato', 'suzuki', 'tanaka', 'takahashi']) {
    await t.test(`all ${corpus.queries.length} queries as ${who} (rooms: ${[...seed.roomsOf[who]].join(', ') || 'none'})`, async () => {
      const mine = new Set([...seed.roomsOf[who]].map((k) => seed.rooms[k]));
      const wrong = [];
      for (const c of corpus.queries) {
        const res = expectStatus(await search(U(who), { q: c.q, limit: 100 }, { snippets: false }), 200, `q=${c.q} as ${who}`);
        const want = answers.get(c.q).filter((h) => mine.has(h.room_id)).map((h) => h.message_id);
        const foreign = res.json.hits.filter((h) => !mine.has(h.room_id)).map((h) => seed.entryOf.get(h.message_id)?.id ?? h.message_id);
        if (foreign.length) wrong.push(`q=${c.q}: hits from rooms ${who} is not in: ${foreign.join(' ')}`);
        else if (JSON.stringify(hitIds(res)) !== JSON.stringify(want) || res.json.total !== want.length) {
          wrong.push(`q=${c.q}: got [${entryIdsOf(seed, res).join(' ')}] total ${res.json.total}, want [${want.map((id) => seed.entryOf.get(id)?.id ?? id).join(' ')}]`);
        }
      }
      assert.deepEqual(wrong, [], `${who} finds exactly the hits of the rooms they belong to`);
    });
  }
});

test('permissions: room_id naming a room the caller is not in matches nothing, exactly like an unknown room', async () => {
  const sato = U('sato');
  const foreign = expectStatus(await search(sato, { q: '会議', room_id: seed.rooms.dev }), 200);
  const unknown = expectStatus(await search(sato, { q: '会議', room_id: 987654321 }), 200);
  assert.deepEqual(foreign.json, { total: 0, hits: [], has_more: false });
  assert.deepEqual(unknown.json, foreign.json, 'no 403/404 and no difference that would leak the room');
  const outsider = expectStatus(await search(U('takahashi'), { q: '会議', room_id: roomIdsOf(['sales', 'dev', 'proj']) }), 200);
  assert.deepEqual(outsider.json, { total: 0, hits: [], has_more: false });
});

test('permissions: leaving or being removed stops finding a room; a readonly member finds it; joining later finds older messages', { timeout: 120000 }, async () => {
  const room = await makeRoom(ito, { name: 'Membership', members: [watanabe], readonly: [kato] });
  const id = await postMessage(ito, room, '金木犀の香りがする季節になりました');
  const q = { q: '金木犀' };
  await expectHitsEventually(ito, q, [id], 'the author finds the message');
  await expectHitsEventually(watanabe, q, [id], 'a member finds it');
  await expectHitsEventually(kato, q, [id], 'a readonly member finds it');

  expectStatus(await watanabe.api.del(`/rooms/${room}`, { action_type: 'leave' }), 204, 'watanabe leaves');
  await expectHitsEventually(watanabe, q, [], 'after leaving, the room\'s messages are no longer found');
  await expectHitsEventually(watanabe, { ...q, room_id: room }, [], 'not even with room_id');
  await expectHitsEventually(ito, q, [id], 'the others still find it');

  expectStatus(await ito.api.put(`/rooms/${room}/members`, { members_admin_ids: String(ito.account_id) }), 200, 'kato is removed');
  await expectHitsEventually(kato, q, [], 'after removal, the room\'s messages are no longer found');

  // Membership is what counts now: someone added later finds what was said before they joined.
  const later = await makeRoom(ito, { name: 'Joined later' });
  const old = await postMessage(ito, later, '沈丁花の鉢植えを受付に置きました');
  await expectHitsEventually(ito, { q: '沈丁花' }, [old], 'the author finds it');
  await expectHitsEventually(kato, { q: '沈丁花' }, [], 'not a member yet');
  expectStatus(await ito.api.put(`/rooms/${later}/members`, {
    members_admin_ids: String(ito.account_id), members_member_ids: String(kato.account_id),
  }), 200, 'kato joins');
  await expectHitsEventually(kato, { q: '沈丁花' }, [old], 'a new member finds older messages of the room');
  const res = await expectHitsEventually(kato, { q: '沈丁花' }, [old]);
  assertAccount(res.json.hits[0].account, ito, 'the hit\'s sender');
});

test('permissions: the messages of a deleted room disappear for all its former members', { timeout: 60000 }, async () => {
  const room = await makeRoom(ito, { name: 'To be deleted', members: [watanabe] });
  const id = await postMessage(watanabe, room, '山茶花の件は来週に持ち越します');
  await expectHitsEventually(ito, { q: '山茶花' }, [id]);
  await expectHitsEventually(watanabe, { q: '山茶花' }, [id]);
  expectStatus(await ito.api.del(`/rooms/${room}`, { action_type: 'delete' }), 204, 'the admin deletes the room');
  await expectHitsEventually(ito, { q: '山茶花' }, [], 'the deleting admin');
  await expectHitsEventually(watanabe, { q: '山茶花' }, [], 'a former member');
  await expectHitsEventually(watanabe, { q: '山茶花', room_id: room }, [], 'even naming the room');
});

// --- filters --------------------------------------------------------------------------------

test('filters: room_id and account_id (comma-separated lists) narrow the hits to those rooms and senders', async (t) => {
  for (const f of corpus.filters) {
    const params = { q: f.q, limit: 100 };
    if (f.room_id) params.room_id = roomIdsOf(f.room_id);
    if (f.account_id) params.account_id = accountIdsOf(f.account_id);
    await t.test(`${f.q} as ${f.as} room_id=${f.room_id ?? '-'} account_id=${f.account_id ?? '-'} → [${f.expect.join(' ')}]`, async () => {
      const res = expectStatus(await search(U(f.as), params), 200);
      assert.deepEqual(entryIdsOf(seed, res), [...f.expect].sort((a, b) => seed.index[b] - seed.index[a]), f.why);
      assert.equal(res.json.total, f.expect.length);
    });
  }
  await t.test('an unknown sender or room among known ones changes nothing', async () => {
    const res = expectStatus(await search(U('yamada'), { q: '会議', room_id: `987654321,${seed.rooms.dev}`, account_id: `987654321,${U('suzuki').account_id}` }), 200);
    assert.deepEqual(entryIdsOf(seed, res), ['d21']);
  });
});

test('filters: time_from and time_to are inclusive bounds on send_time; time_from after time_to is 400', { timeout: 60000 }, async () => {
  const room = await makeRoom(ito, { name: 'Timeline' });
  const sent = []; // {id, send_time}
  for (let g = 0; g < 3; g++) {
    if (sent.length) {
      const last = sent[sent.length - 1].send_time;
      while (nowSec() <= last) await new Promise((r) => setTimeout(r, 50));
    }
    for (let k = 0; k < 2; k++) {
      const id = await postMessage(ito, room, `時系列の確認用メッセージ その${g}-${k}`);
      const m = expectStatus(await ito.api.get(`/rooms/${room}/messages/${id}`), 200);
      sent.push({ id, send_time: m.json.send_time });
    }
  }
  const times = [...new Set(sent.map((m) => m.send_time))];
  assert.ok(times.length >= 3, `messages spread over at least three seconds: ${JSON.stringify(sent)}`);
  const newestFirst = [...sent].reverse();
  const within = (from, to) => newestFirst.filter((m) => (from === undefined || m.send_time >= from) && (to === undefined || m.send_time <= to)).map((m) => m.id);
  const base = { q: '時系列', room_id: room, limit: 100 };
  await expectHitsEventually(ito, base, within(), 'all six are indexed');

  const t0 = sent[0].send_time; const t1 = sent[2].send_time; const t2 = sent[5].send_time;
  const cases = [
    [t0, t0], [t1, t1], [t1, undefined], [undefined, t1], [t0, t2], [t2, t2], [t2 + 1, undefined],
    [undefined, t0 - 1], [0, undefined], [t0, t1],
  ];
  for (const [from, to] of cases) {
    const params = { ...base, time_from: from, time_to: to };
    const res = expectStatus(await search(ito, params), 200, `time_from=${from} time_to=${to}`);
    assert.deepEqual(hitIds(res), within(from, to), `time_from=${from} time_to=${to} (send_times ${JSON.stringify(sent)})`);
    for (const h of res.json.hits) assert.equal(h.send_time, sent.find((m) => m.id === h.message_id).send_time, 'send_time as in /v2');
  }
  expectStatus(await search(ito, { ...base, time_from: t1, time_to: t0 }), 400, 'time_from after time_to');
  for (const bad of ['abc', '-1', '1.5', '1e9', '99999999999999999999999']) {
    expectStatus(await search(ito, { ...base, time_from: bad }), 400, `time_from=${bad}`);
    expectStatus(await search(ito, { ...base, time_to: bad }), 400, `time_to=${bad}`);
  }
});

test('parameters: malformed ids, sort, offset and limit are 400 with Chatwork\'s error body', async () => {
  const y = U('yamada');
  // (An empty value is left out: the server reads an empty optional parameter as absent, as /v2 does.)
  for (const bad of ['abc', '1,,2', ',1', '1,', '-1', '1 2', '1;2', '0x10', '1) OR (1', '99999999999999999999999']) {
    expectStatus(await search(y, { q: '会議', room_id: bad }), 400, `room_id=${bad}`);
    expectStatus(await search(y, { q: '会議', account_id: bad }), 400, `account_id=${bad}`);
  }
  const hundred = Array.from({ length: 100 }, (_, i) => 987654000 + i);
  expectStatus(await search(y, { q: '会議', room_id: [...hundred.slice(1), seed.rooms.dev].join(',') }), 200, '100 room ids');
  expectStatus(await search(y, { q: '会議', room_id: [...hundred, seed.rooms.dev].join(',') }), 400, '101 room ids');
  expectStatus(await search(y, { q: '会議', account_id: hundred.join(',') }), 200, '100 account ids');
  expectStatus(await search(y, { q: '会議', account_id: [...hundred, 1].join(',') }), 400, '101 account ids');
  for (const sort of ['oldest', 'score', 'NEWEST', '_score', 'newest,relevance']) {
    expectStatus(await search(y, { q: '会議', sort }), 400, `sort=${sort}`);
  }
  for (const offset of ['-1', '10001', 'x', '1.5']) expectStatus(await search(y, { q: '会議', offset }), 400, `offset=${offset}`);
  for (const limit of ['0', '101', '-5', 'x', '2.5']) expectStatus(await search(y, { q: '会議', limit }), 400, `limit=${limit}`);
  expectStatus(await search(y, { q: '会議', offset: 10000 }), 200, 'offset 10000 is allowed');
  expectStatus(await search(y, { q: '会議', limit: 1 }), 200);
  expectStatus(await search(y, { q: '会議', limit: 100 }), 200);
  expectStatus(await search(y, {}), 400, 'q is required');
  expectStatus(await search(y, { q: '' }), 400, 'empty q');
});

// --- sort and pagination --------------------------------------------------------------------

test('sort: newest (the default) orders by send_time then id; relevance puts the message with more matches first', { timeout: 60000 }, async () => {
  const room = await makeRoom(ito, { name: 'Relevance' });
  const many = await postMessage(ito, room, 'デプロイ手順の確認です。デプロイ前にバックアップ、デプロイ後に動作確認をします');
  const others = [];
  for (const body of ['本番デプロイは明日の夜です', '検証環境へのデプロイが完了しました', 'デプロイの担当を決めましょう']) {
    others.push(await postMessage(ito, room, body));
  }
  const base = { q: 'デプロイ', room_id: room };
  const newest = [...others].reverse().concat([many]);
  await expectHitsEventually(ito, base, newest, 'default order: newest first');
  const explicit = expectStatus(await search(ito, { ...base, sort: 'newest' }), 200);
  assert.deepEqual(hitIds(explicit), newest);

  const rel = expectStatus(await search(ito, { ...base, sort: 'relevance' }), 200);
  assert.equal(rel.json.total, 4);
  assert.equal(hitIds(rel)[0], many, `relevance: the message with three matches comes first: ${JSON.stringify(rel.json.hits.map((h) => [h.message_id, h.score]))}`);
  const scoreOf = Object.fromEntries(rel.json.hits.map((h) => [h.message_id, h.score]));
  for (const id of others) assert.ok(scoreOf[many] > scoreOf[id], `three matches score higher than one (${scoreOf[many]} vs ${scoreOf[id]})`);
  // search() has checked: scores never increase down the list, and equal scores are newest first.
});

test('pagination: offset/limit pages walk every hit once; total counts all hits; has_more says whether a page lies beyond', { timeout: 60000 }, async () => {
  const room = await makeRoom(ito, { name: 'Paging' });
  const posted = [];
  for (let i = 1; i <= 25; i++) posted.push(await postMessage(ito, room, `ページ送りの確認 その${i}`));
  const all = [...posted].reverse();
  const base = { q: 'ページ送り', room_id: room };
  await expectHitsEventually(ito, { ...base, limit: 100 }, all, 'all 25 are indexed');

  const def = expectStatus(await search(ito, base), 200);
  assert.deepEqual(hitIds(def), all.slice(0, 20), 'the default limit is 20');
  assert.equal(def.json.total, 25);
  assert.equal(def.json.has_more, true);

  const walked = [];
  const more = [];
  for (let offset = 0; offset < 25; offset += 10) {
    const page = expectStatus(await search(ito, { ...base, offset, limit: 10 }), 200);
    assert.equal(page.json.total, 25, `offset ${offset}: total counts all hits`);
    walked.push(...hitIds(page));
    more.push(page.json.has_more);
  }
  assert.deepEqual(walked, all, 'the pages together are every hit once, in order');
  assert.deepEqual(more, [true, true, false]);

  const last = expectStatus(await search(ito, { ...base, offset: 24, limit: 1 }), 200);
  assert.deepEqual(hitIds(last), [posted[0]]);
  assert.equal(last.json.has_more, false);
  for (const offset of [25, 26, 10000]) {
    const beyond = expectStatus(await search(ito, { ...base, offset }), 200);
    assert.deepEqual(beyond.json, { total: 25, hits: [], has_more: false }, `offset ${offset}`);
  }
  const relPages = [];
  for (let offset = 0; offset < 25; offset += 7) {
    relPages.push(...hitIds(expectStatus(await search(ito, { ...base, sort: 'relevance', offset, limit: 7 }), 200)));
  }
  assert.deepEqual([...relPages].sort(), [...all].sort(), 'relevance pages also visit every hit once');
});

// --- snippets -------------------------------------------------------------------------------

test('snippets: plain text (never HTML), a substring of the message around the match, notation removed', { timeout: 60000 }, async () => {
  const room = await makeRoom(ito, { name: 'Snippets' });
  const html = await postMessage(ito, room, '表示確認<b>&</b>"引用符"と\'アポストロフィ\'の表示確認');
  const filler = 'これは長い文章の例です。'.repeat(40);
  const longBody = `${filler}目印キーワードはここです。${filler}`;
  const long = await postMessage(ito, room, longBody);
  const notation = await postMessage(ito, room,
    `[To:${watanabe.account_id}]渡辺さん\n[qt][qtmeta aid=${ito.account_id} time=1700000000]引用された文章です[/qt]返信の本文です[hr][info][title]表題です[/title]情報の本文です[/info][code]echo コードの中身[/code]`);

  const h = (await expectHitsEventually(ito, { q: '表示確認', room_id: room }, [html])).json.hits[0];
  const text = snippetText(h);
  assert.ok(text.includes('<b>&</b>'), `the body's <b>&</b> comes back literally: ${JSON.stringify(h.snippet)}`);
  assert.ok(!/&(amp|lt|gt|quot|#\d+);/.test(text), `no HTML escaping: ${JSON.stringify(text)}`);
  assert.ok('表示確認<b>&</b>"引用符"と\'アポストロフィ\'の表示確認'.includes(text), 'a substring of the message');
  assert.deepEqual(markedTexts(h), ['表示確認', '表示確認'], `both occurrences marked: ${JSON.stringify(h.snippet)}`);

  const l = (await expectHitsEventually(ito, { q: '目印キーワード', room_id: room }, [long])).json.hits[0];
  assert.ok(longBody.includes(snippetText(l)), 'the snippet of a long message is a substring of it');
  assert.deepEqual(markedTexts(l), ['目印キーワード']);

  for (const [q, marked] of [['引用された', '引用された'], ['表題', '表題'], ['情報の本文', '情報の本文'], ['渡辺さん', '渡辺さん'], ['コードの中身', 'コードの中身'], ['返信', '返信']]) {
    const n = (await expectHitsEventually(ito, { q, room_id: room }, [notation], `q=${q}`)).json.hits[0];
    const s = snippetText(n);
    assert.ok(!/\[|\]|qtmeta|To:|1700000000/.test(s), `q=${q}: notation tags are not part of the snippet: ${JSON.stringify(s)}`);
    assert.deepEqual(markedTexts(n), [marked], `q=${q}: ${JSON.stringify(n.snippet)}`);
  }
  for (const q of ['qtmeta', '1700000000', String(watanabe.account_id), 'To', 'hr', 'echo OR code']) {
    const res = expectStatus(await search(ito, { q, room_id: room }), 200);
    assert.deepEqual(hitIds(res).filter((id) => id === notation), q === 'echo OR code' ? [notation] : [], `q=${q}: only the text of the notation is searchable`);
  }
});

// --- edits and deletes ----------------------------------------------------------------------

test('an edit replaces the indexed text and a delete removes the message (polled, then exact)', { timeout: 90000 }, async () => {
  const room = await makeRoom(ito, { name: 'Edits', members: [watanabe] });
  const keep = await postMessage(watanabe, room, '見積書のテンプレートはこちらです');
  const id = await postMessage(ito, room, '紫陽花の件で見積書を更新しました');
  await expectHitsEventually(watanabe, { q: '紫陽花' }, [id], 'the original text is found');
  await expectHitsEventually(watanabe, { q: '見積書', room_id: room }, [id, keep]);

  expectStatus(await ito.api.put(`/rooms/${room}/messages/${id}`, { body: '向日葵の件で見積書を更新しました' }), 200, 'edit');
  const after = await eventually(async () => [await search(watanabe, { q: '向日葵' }), await search(watanabe, { q: '紫陽花' })],
    ([a, b]) => a.status === 200 && b.status === 200 && hitIds(a).length === 1 && hitIds(b).length === 0);
  assert.deepEqual(hitIds(after[0]), [id], 'the new text is found, under the same message id');
  assert.deepEqual(after[1].json, { total: 0, hits: [], has_more: false }, 'the old text is gone');
  const hit = after[0].json.hits[0];
  const v2 = expectStatus(await watanabe.api.get(`/rooms/${room}/messages/${id}`), 200).json;
  assert.equal(hit.send_time, v2.send_time, 'send_time as in /v2');
  assert.equal(hit.update_time, v2.update_time, 'update_time as in /v2 (the edit)');
  assert.ok(hit.update_time > 0);
  assert.deepEqual(markedTexts(hit), ['向日葵']);
  assert.ok('向日葵の件で見積書を更新しました'.includes(snippetText(hit)), 'the snippet shows the edited text');
  const both = expectStatus(await search(watanabe, { q: '見積書', room_id: room }), 200);
  assert.deepEqual(hitIds(both), [id, keep], 'an edited message is one hit, not two');

  expectStatus(await ito.api.del(`/rooms/${room}/messages/${id}`), 200, 'delete');
  await expectHitsEventually(watanabe, { q: '向日葵' }, [], 'a deleted message is no longer found');
  await expectHitsEventually(watanabe, { q: '見積書', room_id: room }, [keep], 'other messages stay');
  const edited = await postMessage(watanabe, room, '仮の文面です');
  expectStatus(await watanabe.api.put(`/rooms/${room}/messages/${edited}`, { body: '正式な文面です' }), 200);
  expectStatus(await watanabe.api.put(`/rooms/${room}/messages/${edited}`, { body: '最終版の文面です' }), 200);
  await expectHitsEventually(ito, { q: '文面', room_id: room }, [edited], 'two quick edits: one hit');
  await expectHitsEventually(ito, { q: '最終版', room_id: room }, [edited]);
  await expectHitsEventually(ito, { q: '正式 OR 仮の', room_id: room }, [], 'no earlier version left behind');
});

// --- query syntax errors, limits and hostile input ------------------------------------------

test('query errors: only exclusions, exclusion inside OR, unterminated phrase, NUL, over 1,000 characters, over 16 words are 400', async () => {
  const y = U('yamada');
  const bad = [
    ' ', '\u3000', '  \u3000 ', '-会議', 'NOT 会議', '-会議 -資料', 'NOT 会議 NOT 資料', '会議 OR -資料', '-資料 OR 会議',
    '会議 OR NOT 資料', '"', '"会議', '会議 "資料', '"abc\\"', '\u0000', '会議\u0000', '会議\u0000資料', '"\u0000"',
    'a'.repeat(1001), 'あ'.repeat(1001), `会議 ${'x'.repeat(999)}`,
    Array.from({ length: 17 }, (_, i) => `語${'あいうえおかきくけこさしすせそたち'[i]}`).join(' '),
  ];
  for (const q of bad) {
    const res = expectStatus(await search(y, { q }), 400, `q=${JSON.stringify(q.length > 40 ? `${q.slice(0, 40)}… (${q.length})` : q)}`);
    assert.ok(res.json.errors.length > 0);
  }
  const good = [
    ['a'.repeat(1000), '1,000 ASCII characters'],
    ['あ'.repeat(1000), '1,000 Japanese characters'],
    [Array.from({ length: 16 }, (_, i) => `語${'あいうえおかきくけこさしすせそた'[i]}`).join(' '), '16 words'],
    ['会議 -資料 NOT 打ち合わせ', 'a word and exclusions'],
    ['"a\\"b"', 'an escaped quote inside a phrase'],
    ['"a\\\\"', 'an escaped backslash inside a phrase'],
  ];
  for (const [q, what] of good) expectStatus(await search(y, { q }), 200, what);
});

// The probe: a room of its own whose messages hold the symbols the hostile queries play with.
let probeWorld;
async function probe() {
  if (probeWorld) return probeWorld;
  const user = await makeUser(srv, seed.org, 'Probe User');
  const room = await makeRoom(user, { name: 'Probe' });
  const posted = {};
  for (const [k, body] of Object.entries({
    paren: '【重要】(注意) 設定値は key:value 形式です',
    plain: '週次の定例は金曜です',
    backslash: 'ログは C:\\temp\\logs にあります',
    at: '連絡先は a@example.com です',
    quote: 'ファイル名は "report.pdf" です',
    spaced: '念のため (確認済み) と書いてください',
  })) posted[k] = await postMessage(user, room, body);
  // The last post: once it is found, every earlier one is indexed too (the log is in order).
  await expectHitsEventually(user, { q: '書いてください' }, [posted.spaced], 'the probe room is indexed');
  probeWorld = { user, room, posted };
  return probeWorld;
}

test('plain text: parentheses, colons, backslashes, @ and escaped quotes are looked for as written', { timeout: 60000 }, async () => {
  const { user, posted } = await probe();
  const cases = [
    ['(確認済み)', [posted.spaced]], ['"(確認済み) と"', [posted.spaced]], ['key:value', [posted.paren]],
    ['(注意)', [posted.paren]], ['"(注意) 設定値"', [posted.paren]], ['【重要】', [posted.paren]],
    ['C:\\temp\\logs', [posted.backslash]], ['"C:\\\\temp"', [posted.backslash]], ['a@example.com', [posted.at]],
    ['"\\"report.pdf\\""', [posted.quote]],
  ];
  const wrong = [];
  for (const [q, expected] of cases) {
    const res = expectStatus(await search(user, { q }), 200, `q=${q}`);
    if (JSON.stringify(hitIds(res)) !== JSON.stringify(expected)) {
      wrong.push(`q=${JSON.stringify(q)}: got ${JSON.stringify(res.json.hits.map((h) => snippetText(h)))}, want the message ${JSON.stringify(Object.keys(posted).find((k) => posted[k] === expected[0]))}`);
    }
  }
  assert.deepEqual(wrong, [], 'plain-text queries match the messages that contain them as written');
});

test('hostile queries: each is plain text (200) or a 400, never a 5xx; Groonga syntax never applies', { timeout: 120000 }, async () => {
  const { user, posted } = await probe();
  const NONE = 'none'; // 200 with no hit: nothing in the probe's room contains the text
  const cases = [
    ['(会議)', [200], NONE], ['会議)', [200], NONE], ['((((', [200], NONE], ['))))', [200], NONE], ['a:b', [200], NONE],
    ['body:@x', [200], NONE], ['_key:1', [200], NONE], ['_id:1 OR _key:1', [200], NONE], ['*', [200], NONE],
    ['会議*', [200], NONE], ['*:*', [200], NONE], ['\\', [200]], ['\\\\', [200], NONE], ['a\\b', [200], NONE],
    ['@', [200]], ['--filter', [400]], ['--filter true', [200], NONE], ['--match_columns body --query *', [200], NONE],
    ['%', [200], NONE], ['%00', [200], NONE], ['%%', [200], NONE], ["'", [200], NONE], ["''", [200], NONE],
    ['`', [200], NONE], ['$', [200], NONE], ['#', [200], NONE], ['&&', [200], NONE], ['||', [200], NONE],
    ['!', [200], NONE], ['~', [200], NONE], ['<', [200], NONE], ['>', [200], NONE], ['=', [200], NONE],
    ['+', [200], NONE], ['^', [200], NONE], ['|', [200], NONE], ['{', [200], NONE], ['}', [200], NONE],
    ['[', [200]], [']', [200]], ['[To:1]', [200], NONE], ['<script>alert(1)</script>', [200], NONE],
    ['${jndi:ldap://x}', [200], NONE], ['select Messages --filter true', [200], NONE], ['all_records()', [200], NONE],
    ['_score', [200], NONE], ['body @ "x" || true', [200], NONE], ['query("body", "*")', [200, 400], NONE],
    ["' OR 1=1 --", [200, 400], NONE], ["'; DROP TABLE messages; --", [200, 400], NONE],
    [') OR (', [200, 400]], ['OR', [200, 400]], ['会議 OR', [200, 400]], ['OR 会議', [200, 400]], ['NOT', [200, 400]],
    ['-', [200, 400]], ['--', [200, 400]], ['""', [200, 400]], ['会議 ""', [200, 400]], ['OR OR OR', [200, 400]],
    ['NOT NOT 会議', [200, 400]], ['a OR b OR c', [200, 400]], ['会議 -', [200, 400]],
    ['"a\\"b"', [200], NONE], ['"a\\\\"', [200], NONE], ['"会議 (資料)"', [200], NONE], ['"abc\\"', [400]],
    ['\u202e会議', [200], NONE], ['👨‍👩‍👧', [200], NONE], ['\u3000会議\u3000', [200], NONE], ['会議\t資料', [200, 400], NONE],
    ['\r\n', [200, 400]], ['\u0000', [400]], ['"\u0000"', [400]], ['会議\u0000', [400]],
    ['x'.repeat(10000), [400]], ['a '.repeat(5000), [400]], ['ｘ'.repeat(1000), [200], NONE],
  ];
  const wrong = [];
  for (const [q, allowed, hits] of cases) {
    const label = JSON.stringify(q.length > 40 ? `${q.slice(0, 40)}… (${q.length} chars)` : q);
    const res = await search(user, { q }); // asserts: never a 5xx; a 4xx has Chatwork's error body
    if (!allowed.includes(res.status)) wrong.push(`q=${label}: expected ${allowed.join(' or ')}, got ${res.status} ${res.text.slice(0, 200)}`);
    else if (res.status === 200 && hits === NONE && res.json.total !== 0) {
      wrong.push(`q=${label}: plain text that nothing in the room contains, yet ${res.json.total} hits: ${JSON.stringify(res.json.hits.map((h) => snippetText(h)))}`);
    }
  }

  // 10,000 characters that percent-encoding makes longer than the server's 16 KiB request-head
  // limit: still refused with an answer (a 4xx), not a dropped connection.
  const headers = { 'X-ChatWorkToken': user.api_token };
  for (const q of ['('.repeat(10000), '\\'.repeat(10000), '"'.repeat(10000), '会'.repeat(10000)]) {
    const path = `${SEARCH}?${new URLSearchParams({ q })}`;
    const res = await rawRequest(srv.url, { method: 'GET', path, headers });
    const label = `q=${JSON.stringify(q.slice(0, 3))}… (${q.length} chars, ${path.length} bytes in the URL)`;
    if (res.status === 0) wrong.push(`${label}: no answer at all (${res.error}); expected a 4xx`);
    else if (res.status >= 500) wrong.push(`${label}: ${res.status}`);
    else if (res.status < 400) wrong.push(`${label}: expected a 4xx, got ${res.status}`);
  }

  // Malformed encodings of q, sent raw.
  for (const [qs, allowed] of [['q=%FF%FE', [400]], ['q=%C3%28', [400]], ['q=%E4%BC', [400]], ['q=%', [200, 400]], ['q=%ZZ', [200, 400]], ['q=%2', [200, 400]], ['q=%00', [400]], ['q', [400]], ['q=a&q=b', [200, 400]]]) {
    const res = await rawRequest(srv.url, { method: 'GET', path: `${SEARCH}?${qs}`, headers });
    assert.ok(res.status < 500 && res.status > 0, `GET ${SEARCH}?${qs}: never a 5xx, got ${res.status} ${res.text}`);
    if (!allowed.includes(res.status)) wrong.push(`raw ?${qs}: expected ${allowed.join(' or ')}, got ${res.status} ${res.text}`);
    if (res.status >= 400) checkResponse(res);
  }
  assert.deepEqual(wrong, [], 'hostile queries');

  // The server still answers normally.
  assert.equal(srv.proc.exitCode, null, 'the server is still running');
  const again = expectStatus(await search(user, { q: '金曜' }), 200);
  assert.deepEqual(hitIds(again), [posted.plain]);
  expectStatus(await user.api.get('/me'), 200);
  const y = expectStatus(await search(U('yamada'), { q: '会議 資料', limit: 100 }), 200);
  assert.deepEqual(entryIdsOf(seed, y).sort(), ['p05', 'p18', 's02', 's03']);
});

// --- authentication and rate limit ----------------------------------------------------------

test('authentication: no token or a bad token is 401; Bearer works like X-ChatWorkToken', async () => {
  const y = U('yamada');
  expectStatus(await search(y, { q: '会議' }, { auth: 'none' }), 401, 'no token');
  expectStatus(await search(y, { q: '会議' }, { token: 'not-a-token' }), 401, 'bad token');
  expectStatus(await search(y, { q: '' }, { auth: 'none' }), 401, 'authentication comes before validation');
  const bearer = expectStatus(await search(y, { q: '会議' }, { auth: 'bearer' }), 200);
  const header = expectStatus(await search(y, { q: '会議' }), 200);
  assert.deepEqual(hitIds(bearer), hitIds(header));
});

test('the rate limit is shared with /v2: search requests count, and past the limit both answer 429', async () => {
  const s = await startServer({ rateLimit: 3, rateWindowSeconds: 300 });
  try {
    const o = await makeOrg(s, 'RL');
    const u = await makeUser(s, o, 'Limited Searcher');
    expectStatus(await u.api.get('/me'), 200);
    const first = await search(u, { q: '会議' });
    expectStatus(first, 200);
    assert.equal(first.headers['x-ratelimit-limit'], '3');
    assert.equal(first.headers['x-ratelimit-remaining'], '1', 'one /v2 request and one search counted');
    expectStatus(await search(u, { q: '会議' }), 200);
    expectStatus(await search(u, { q: '会議' }), 429, 'the fourth request (a search) is over the limit');
    expectStatus(await u.api.get('/me'), 429, '/v2 is limited too');
  } finally {
    await s.stop();
  }
});
