'use strict';
// The language-neutral validation table (tests/validation/), replayed through the JS API: each refusing case
// rejects with an InvalidInputError naming the table's field and rule before anything is sent; each accepting
// case succeeds against the emulator; and each refusal the service also sees, sent unchecked through `call`,
// gets the table's service code. Parameters are given as JS users write them (camelCase), so a misspelt or
// missing one is refused by name too.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const aliprefetch = require('..');
const { load, fixtures, withEmulator, clientOn } = require('./helpers');

const FILES = [
  'set_live_stream_preload_tasks',
  'describe_live_stream_preload_tasks',
  'hot_live_rtc_stream',
  'update_live_pull_to_push',
  'refresh_media_play_urls',
];
const METHODS = {
  SetLiveStreamPreloadTasks: 'setLiveStreamPreloadTasks',
  DescribeLiveStreamPreloadTasks: 'describeLiveStreamPreloadTasks',
  HotLiveRtcStream: 'hotLiveRtcStream',
  UpdateLivePullToPush: 'updateLivePullToPush',
  RefreshMediaPlayUrls: 'refreshMediaPlayUrls',
};
// API names whose JS key is not simply the name with a lower-case first letter.
const KEYS = { PlayUrl: 'playUrls', StreamType: 'streamTypes' };
const key = (name) => KEYS[name] ?? name[0].toLowerCase() + name.slice(1);

/** `now`, `now+6h`, `now-2d` … as the wire time against `now`; anything else unchanged. */
function when(value, now) {
  const m = typeof value === 'string' && /^now(?:([+-])(\d+)([smhd]))?$/.exec(value);
  if (!m) return value;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[3]] ?? 0;
  const seconds = m[1] ? (m[1] === '+' ? 1 : -1) * Number(m[2]) * unit : 0;
  return new Date(Math.floor(now / 1000) * 1000 + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A value as it travels: lists comma-joined, except SourceUrls, a JSON array. */
const wire = (name, value) => (Array.isArray(value) ? (name === 'SourceUrls' ? JSON.stringify(value) : value.join(',')) : value);

const docs = FILES.map((f) => load(`tests/validation/${f}.json`));

test('the table has every operation', () => {
  assert.equal(docs.reduce((n, d) => n + d.cases.length, 0), 125);
});

for (const doc of docs) {
  for (const c of doc.cases) {
    test(`${doc.operation}: ${c.name}`, () =>
      withEmulator(fixtures(), async (emu) => {
        const client = clientOn(emu);
        const now = Date.now();
        const params = Object.fromEntries(Object.entries(c.input).map(([k, v]) => [key(k), when(v, now)]));
        const call = () => client[METHODS[doc.operation]](params);
        if (c.expect === 'ok') {
          assert.ok((await call()).requestId);
          return;
        }
        const error = await call().then(
          () => assert.fail('accepted'),
          (e) => e,
        );
        assert.ok(error instanceof aliprefetch.InvalidInputError, String(error));
        assert.ok(error instanceof aliprefetch.AliPrefetchError && error instanceof Error);
        assert.deepEqual(
          [error.kind, error.field, error.rule, error.code, error.attempts],
          // A misspelt key is named as it was given (camelCase here); any other field by its API name.
          ['InvalidInput', c.expect.rule === 'unknown' ? key(c.expect.field) : c.expect.field, c.expect.rule, null, 0],
        );
        if (c.client_only) return;
        const sent = Object.fromEntries(Object.entries(c.input).map(([k, v]) => [k, wire(k, when(v, now))]));
        const answered = await client.call(doc.operation, { service: doc.service, params: sent }).then(
          () => assert.fail('the service accepted'),
          (e) => e,
        );
        assert.ok(answered instanceof aliprefetch.ApiError, String(answered));
        assert.equal(answered.code, c.expect.service_code);
      }));
  }
}
