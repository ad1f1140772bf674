'use strict';
// Batches through an emulator that loses answers, checked against what it holds; batches as async
// iterators; leaving the loop early keeps what was yielded.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, withEmulator, urls } = require('./helpers');

const FAULTS = {
  error_rate: 0.15,
  errors: ['InternalError', 'ServiceUnavailable', 'Throttling.User'],
  ambiguous_rate: 0.15,
  ambiguous_delay_ms: 2500,
};

function heldByUrl(emu) {
  const held = new Map();
  for (const t of emu.tasks()) held.set(t.playUrl, [...(held.get(t.playUrl) ?? []), t.taskId]);
  return held;
}

test('every URL ends with exactly one task and the report says which, when answers are lost', () =>
  withEmulator({ faults: FAULTS }, async (emu) => {
    const client = new aliprefetch.Client({
      endpoint: emu.endpoint,
      credentials: emu.credentials,
      timeouts: { readMs: 1000 },
      retry: { baseDelayMs: 20 },
    });
    const given = urls('lost', 6000);
    const report = await client.preloadLiveStreams(DOMAIN, given);
    assert.deepEqual(report.items.map((i) => i.url), given);
    const lost = emu
      .requestCounts()
      .filter((c) => c.action === 'SetLiveStreamPreloadTasks' && c.outcome.startsWith('lost:'))
      .reduce((n, c) => n + c.count, 0);
    assert.ok(lost > 0, 'the run really lost answers of SetLiveStreamPreloadTasks');
    const held = heldByUrl(emu);
    let unknown = 0;
    for (const item of report.items) {
      const ids = held.get(item.url);
      assert.ok(!ids || ids.length === 1, `${item.url} holds two tasks`);
      if (item.taskId !== null) assert.deepEqual(ids, [item.taskId]);
      else if (item.failure.outcomeUnknown) unknown += 1;
      else assert.equal(ids, undefined, `${item.url} reported not created but holds a task`);
      assert.equal(item.outcomeUnknown, item.failure?.outcomeUnknown ?? false);
    }
    // A sanity bound; the claims are checked item by item above.
    assert.ok(unknown <= given.length / 20, `${unknown} unknown`);
    // Each lost answer was of a request that was executed: its URLs were found by a lookup.
    assert.ok(report.lookups > 0 && report.items.some((i) => i.foundByLookup), `${lost} answers lost, none found`);
  }));

test('items arrive as chunks settle; leaving the loop early keeps what was yielded', () =>
  withEmulator({ faults: { latency_ms: 80 } }, async (emu) => {
    const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials, rateLimits: 'disabled' });
    const given = urls('abandon', 4000);
    const batch = client.iterPreloadLiveStreams(DOMAIN, given, { concurrency: 2 });
    const yielded = [];
    for await (const item of batch) {
      yielded.push(item);
      if (yielded.length === 150) break;
    }
    const inFlight = batch.unsettled();
    const rest = [];
    for await (const item of batch) rest.push(item);
    const held = heldByUrl(emu);
    for (const item of [...yielded, ...rest]) assert.deepEqual(held.get(item.url), [item.taskId]);
    const reported = new Set([...yielded, ...rest].map((i) => i.url));
    for (const url of held.keys()) assert.ok(reported.has(url) || inFlight.includes(url), `${url} held but never reported`);
    assert.ok(held.size < given.length, 'the batch stopped');
  }));

test('media iterators and the emulator admin API', () =>
  withEmulator({ vod: { media: [{ media_id: 'a' }, { media_id: 'b', forbidden: true }] } }, async (emu) => {
    const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials });
    const items = [];
    for await (const item of client.iterRefreshMedia(['a', 'b', 'c'])) items.push(item);
    items.sort((x, y) => x.index - y.index);
    assert.deepEqual(items.map((i) => [i.mediaId, i.outcome]), [['a', 'submitted'], ['b', 'forbidden'], ['c', 'not_found']]);
    assert.deepEqual(emu.refreshJobs().map((j) => j.mediaIds), [['a']]);
    await client.preloadLiveStreams(DOMAIN, urls('admin', 2));
    assert.equal(emu.tasks().length, 2);
    assert.ok(emu.requestCounts().some((c) => c.action === 'SetLiveStreamPreloadTasks' && c.outcome === 'ok'));
    emu.reset();
    assert.deepEqual([emu.tasks(), emu.refreshJobs(), emu.requestCounts()], [[], [], []]);
  }));

test('a progress callback that throws does not lose the report', () =>
  withEmulator({}, async (emu) => {
    const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials });
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const report = await client.preloadLiveStreams(DOMAIN, urls('throwing', 250), {
        onProgress: () => {
          throw new Error('a user callback fails');
        },
      });
      assert.equal(report.items.filter((i) => i.succeeded).length, 250);
      assert.equal(emu.tasks().length, 250);
      // Every progress call ran before the promise settled, so its warnings are already out.
      assert.ok(warnings.some((w) => w.message === 'onProgress threw: a user callback fails' && w.code === 'ALIPREFETCH_PROGRESS_CALLBACK'));
    } finally {
      process.off('warning', onWarning);
    }
  }));

test('every progress value is delivered before the promise settles', () =>
  withEmulator({ vod: { media: [{ media_id: 'a' }] } }, async (emu) => {
    const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials });
    for (let round = 0; round < 5; round += 1) {
      const seen = [];
      const report = await client.preloadLiveStreams(DOMAIN, urls(`order${round}`, 250), { onProgress: (p) => seen.push(p) });
      assert.equal(report.items.length, 250);
      assert.deepEqual(seen.at(-1), { done: 250, total: 250, succeeded: 250, failed: 0 });
      const media = [];
      await client.refreshMedia(['a', 'b'], { onProgress: (p) => media.push(p) });
      assert.deepEqual(media.at(-1), { done: 2, total: 2, succeeded: 1, failed: 1 });
    }
  }));

test('media batches take userData as an object or its text', () =>
  withEmulator({ vod: { media: [{ media_id: 'a' }] } }, async (emu) => {
    const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials });
    for (const userData of [{ Extend: { localId: 'x' } }, '{"Extend":{"localId":"x"}}']) {
      const report = await client.refreshMedia(['a'], { userData });
      assert.deepEqual(report.items.map((i) => i.outcome), ['submitted']);
    }
    assert.equal(emu.refreshJobs().length, 2);
    await assert.rejects(client.refreshMedia(['a'], { userData: ['not', 'an', 'object'] }), (e) => {
      assert.ok(e instanceof aliprefetch.InvalidInputError);
      assert.deepEqual([e.field, e.rule], ['UserData', 'type']);
      return true;
    });
    assert.equal(emu.refreshJobs().length, 2, 'nothing sent');
  }));
