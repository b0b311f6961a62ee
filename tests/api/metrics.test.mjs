// GET /metrics (docs/api/kaiwa-openapi.yaml): Prometheus text with per-route request counts and
// latency histograms, and values sampled from the store, the stream hub and the search index.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { makeOrg, makeUsers, makeRoom, postMessage } from './support/fixtures.mjs';

let srv;

before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/** name{labels} value lines of the exposition, as a Map from the series to its number. */
async function scrape() {
  const res = await fetch(`${srv.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const series = new Map();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

function value(series, name) {
  assert.ok(series.has(name), `${name} is exposed`);
  return series.get(name);
}

test('requests are counted by route pattern and status class, with a latency histogram', async () => {
  const org = await makeOrg(srv, 'Metrics Org');
  const [alice] = await makeUsers(srv, org, ['Metrics Alice']);
  const room = await makeRoom(alice, { name: 'Metrics room' });
  const before = await scrape();
  const route = 'method="POST",route="/v2/rooms/{room_id}/messages"';
  const ok = (s) => s.get(`kaiwa_http_requests_total{${route},status="2xx"}`) ?? 0;
  const bad = (s) => s.get(`kaiwa_http_requests_total{${route},status="4xx"}`) ?? 0;

  for (let i = 0; i < 3; i++) await postMessage(alice, room, `metrics ${i}`);
  const empty = await alice.api.post(`/rooms/${room}/messages`, { body: '' });
  assert.equal(empty.status, 400);
  await fetch(`${srv.url}/kaiwa/v1/no/such/route`);

  const after = await scrape();
  assert.equal(ok(after) - ok(before), 3);
  assert.equal(bad(after) - bad(before), 1);
  const count = `kaiwa_http_request_duration_seconds_count{${route}}`;
  assert.equal(value(after, count) - (before.get(count) ?? 0), 4);
  assert.ok(value(after, `kaiwa_http_request_duration_seconds_sum{${route}}`) > 0);
  const inf = `kaiwa_http_request_duration_seconds_bucket{${route},le="+Inf"}`;
  assert.equal(value(after, inf), value(after, count), 'the +Inf bucket holds every request');
  assert.ok(value(after, 'kaiwa_http_requests_total{method="",route="unmatched",status="4xx"}') >= 1);
});

test('store, stream and search values are sampled at each scrape', async () => {
  const series = await scrape();
  const commits = value(series, 'kaiwa_store_commits_total');
  const writes = value(series, 'kaiwa_store_committed_writes_total');
  assert.ok(commits > 0 && writes >= commits, `${writes} writes in ${commits} commits`);
  assert.equal(value(series, 'kaiwa_websocket_connections'), 0);
  assert.equal(value(series, 'kaiwa_streams'), 0);
  assert.ok(value(series, 'kaiwa_search_index_lag_events') >= 0);
  assert.ok(value(series, 'kaiwa_search_index_lag_seconds') >= 0);
  assert.ok(value(series, 'kaiwa_events_fanned_out_total') >= 0);
});
