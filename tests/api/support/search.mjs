// Message search (GET /kaiwa/v1/search, docs/api/kaiwa-openapi.yaml): the client helper with the
// checks every 200 answer must pass, polling, and the shipped Japanese corpus
// (fixtures/search_corpus.json) seeded into a server.
//
// /kaiwa/v1 routes are not in the RAML, so 200 answers are validated here against the OpenAPI
// file itself (as history.test.mjs does); errors go through the central check ({"errors":[...]}).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import * as yaml from 'js-yaml';
import { checkResponse, sleep } from './server.mjs';
import { repoRoot } from './paths.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage, cmpId } from './fixtures.mjs';

export const SEARCH = '/kaiwa/v1/search';

export const corpus = JSON.parse(fs.readFileSync(new URL('../fixtures/search_corpus.json', import.meta.url), 'utf8'));

/** The 200 schema of the search route, from the OpenAPI document (its $refs resolved). */
export const validateResults = (() => {
  const doc = yaml.load(fs.readFileSync(path.join(repoRoot, 'docs', 'api', 'kaiwa-openapi.yaml'), 'utf8'));
  const ok = doc.paths?.[SEARCH]?.get?.responses?.['200']?.content?.['application/json']?.schema;
  assert.ok(ok, `kaiwa-openapi.yaml must describe the 200 answer of GET ${SEARCH}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'kaiwa-openapi', components: doc.components });
  return ajv.compile({ $ref: `kaiwa-openapi${ok.$ref}` });
})();

// Notation that must never reach a snippet (tags are removed from the searchable text).
const TAG = /\[\/?(To:|rp |qt\]|qtmeta|info\]|title\]|code\]|toall\]|hr\]|piconname:|dtext:)/;
// HTML escaping would show up as entities; no body in these tests contains one.
const ENTITY = /&(lt|gt|amp|quot|apos|#\d+);/;

const isNewer = (a, b) => a.send_time > b.send_time || (a.send_time === b.send_time && cmpId(a.message_id, b.message_id) > 0);

/** Checks every 200 answer must pass, whatever the query (snippets: see checkSnippets). */
export function checkResults(res, params = {}) {
  const where = String(res);
  assert.match(res.headers['content-type'] || '', /application\/json/i, `${where}: JSON content-type`);
  assert.ok(res.jsonError === undefined, `${where}: body is not JSON`);
  assert.ok(validateResults(res.json), `${where}: does not match SearchResults in kaiwa-openapi.yaml: ${JSON.stringify(validateResults.errors)}`);
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    assert.match(res.headers[h] ?? '', /^\d+$/, `${where}: ${h} (the /v2 rate limit applies)`);
  }
  const { total, hits, has_more: hasMore } = res.json;
  const limit = Number(params.limit ?? 20);
  const offset = Number(params.offset ?? 0);
  assert.ok(hits.length <= limit, `${where}: ${hits.length} hits for limit ${limit}`);
  if (hits.length > 0) assert.ok(total >= offset + hits.length, `${where}: total ${total} < offset ${offset} + ${hits.length} hits`);
  assert.equal(hasMore, offset + hits.length < total, `${where}: has_more must say whether hits lie beyond this page (offset ${offset}, ${hits.length} hits, total ${total})`);
  const ids = hits.map((h) => h.message_id);
  assert.equal(new Set(ids).size, ids.length, `${where}: a message appears twice in one page`);
  const sort = params.sort ?? 'newest';
  for (let i = 1; i < hits.length; i++) {
    const a = hits[i - 1]; const b = hits[i];
    if (sort === 'newest') {
      assert.ok(isNewer(a, b), `${where}: sort=newest: hit ${i - 1} (${a.message_id}, send_time ${a.send_time}) must be newer than hit ${i} (${b.message_id}, send_time ${b.send_time}); ties by message id descending`);
    } else if (sort === 'relevance') {
      assert.ok(a.score > b.score || (a.score === b.score && isNewer(a, b)),
        `${where}: sort=relevance: hit ${i - 1} (score ${a.score}, ${a.message_id}) before hit ${i} (score ${b.score}, ${b.message_id}): higher score first, ties newest first`);
    }
  }
  for (const h of hits) {
    assert.ok(h.update_time === 0 || h.update_time >= h.send_time, `${where}: hit ${h.message_id}: update_time ${h.update_time} before send_time ${h.send_time}`);
  }
}

/** Snippet checks for every hit: at least one marked match, no notation, no HTML escaping. */
export function checkSnippets(res) {
  const where = String(res);
  for (const h of res.json.hits) {
    assert.ok(h.snippet.some((f) => f.match), `${where}: hit ${h.message_id}: the snippet marks no match: ${JSON.stringify(h.snippet)}`);
    const text = snippetText(h);
    assert.ok(!TAG.test(text), `${where}: hit ${h.message_id}: notation tag in the snippet: ${JSON.stringify(text)}`);
    assert.ok(!ENTITY.test(text), `${where}: hit ${h.message_id}: the snippet is plain text, never HTML-escaped: ${JSON.stringify(text)}`);
  }
}

/**
 * GET /kaiwa/v1/search as user. A 200 is checked with checkResults and (unless opts.snippets is
 * false: the caller checks them itself, after the hits) checkSnippets; anything else through
 * the central check. Never a 5xx, except 503 when opts.allow503 (index rebuilding).
 */
export async function search(user, params = {}, opts = {}) {
  const { allow503, snippets = true, timeoutMs, intervalMs, ...reqOpts } = opts;
  const res = await user.api.request('GET', SEARCH, { query: params, check: false, ...reqOpts });
  if (res.status === 503 && allow503) return res;
  assert.ok(res.status < 500, `${res}: a search never answers 5xx`);
  if (res.status !== 200) {
    checkResponse(res);
    return res;
  }
  checkResults(res, params);
  if (snippets) checkSnippets(res);
  return res;
}

export const hitIds = (res) => res.json.hits.map((h) => h.message_id);
export const snippetText = (hit) => hit.snippet.map((f) => f.text).join('');

/** The snippet's matched texts, adjacent match fragments joined. */
export function markedTexts(hit) {
  const out = [];
  let prevMatch = false;
  for (const f of hit.snippet) {
    if (f.match) {
      if (prevMatch) out[out.length - 1] += f.text;
      else out.push(f.text);
    }
    prevMatch = f.match;
  }
  return out;
}

/**
 * Calls fn until pred(result) holds or timeoutMs passes; returns the last result either way
 * (the caller asserts on it, so a timeout fails with the real answer in the message).
 */
export async function eventually(fn, pred, { timeoutMs = 15000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fn();
    if (pred(r)) return r;
    if (Date.now() > deadline) return r;
    await sleep(intervalMs);
  }
}

/** Polls a search until its hits are exactly `expected` (message ids, in order), then asserts it. */
export async function expectHitsEventually(user, params, expected, what = '', opts = {}) {
  const res = await eventually(() => search(user, params, opts),
    (r) => r.status === 200 && JSON.stringify(hitIds(r)) === JSON.stringify(expected), opts);
  assert.equal(res.status, 200, `${what}: ${res}`);
  assert.deepEqual(hitIds(res), expected, `${what}: search ${JSON.stringify(params)} as ${user.name}`);
  assert.equal(res.json.total, expected.length, `${what}: total`);
  return res;
}

/**
 * Creates the corpus's org, users and rooms and posts its messages in order, then waits until a
 * sentinel posted last is searchable (the index is fed in log order, so everything before it is
 * indexed too). Returns {users, rooms, msgId (entry id → message_id), entryOf (message_id →
 * entry), index (entry id → posting order), roomsOf (user key → Set of room keys)}.
 */
export async function seedCorpus(srv, { orgName = 'Search Org' } = {}) {
  const org = await makeOrg(srv, orgName);
  const keys = Object.keys(corpus.users);
  const list = await makeUsers(srv, org, keys.map((k) => corpus.users[k]));
  const users = Object.fromEntries(keys.map((k, i) => [k, list[i]]));
  const rooms = {};
  const roomsOf = Object.fromEntries(keys.map((k) => [k, new Set()]));
  for (const [key, r] of Object.entries(corpus.rooms)) {
    rooms[key] = await makeRoom(users[r.admin[0]], {
      name: r.name,
      admins: r.admin.map((k) => users[k]),
      members: r.member.map((k) => users[k]),
      readonly: r.readonly.map((k) => users[k]),
    });
    for (const k of [...r.admin, ...r.member, ...r.readonly]) roomsOf[k].add(key);
  }
  const msgId = {};
  const entryOf = new Map();
  const index = {};
  corpus.messages.forEach((m, i) => { index[m.id] = i; });
  for (const m of corpus.messages) {
    const id = await postMessage(users[m.sender], rooms[m.room], m.body);
    msgId[m.id] = id;
    entryOf.set(id, m);
  }
  const syncRoom = await makeRoom(users.yamada, { name: 'Sync' });
  const sentinel = await postMessage(users.yamada, syncRoom, '同期確認用センチネル');
  const res = await eventually(() => search(users.yamada, { q: 'センチネル' }, { allow503: true }),
    (r) => r.status === 200 && hitIds(r).includes(sentinel), { timeoutMs: 30000 });
  assert.equal(res.status, 200, `the corpus is searchable: ${res}`);
  assert.deepEqual(hitIds(res), [sentinel], 'the sentinel posted after the corpus is found within 30 s');
  return { org, users, rooms, roomsOf, msgId, entryOf, index, syncRoom };
}

/** Expected message ids of corpus entries, newest first (the default order). */
export function expectedIds(seed, entryIds) {
  return [...entryIds].sort((a, b) => seed.index[b] - seed.index[a]).map((e) => seed.msgId[e]);
}

/** Corpus entry ids of a search answer (message ids outside the corpus are kept as they are). */
export function entryIdsOf(seed, res) {
  return hitIds(res).map((id) => seed.entryOf.get(id)?.id ?? `message ${id} (not in the corpus)`);
}
