'use strict';
// Batches of any size with progress, paging with `for await`, and waiting.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, fixtures, withEmulator, clientOn, urls } = require('./helpers');

// A URL the client takes and the emulator refuses inside a success (its `refused_urls` fixture).
const REFUSED = 'rtmp://play.example.com/live/refused';

test('a 5,000-URL batch reports every URL once, with progress', () =>
  withEmulator(fixtures({ quotas: { SetLiveStreamPreloadTasks: 0 }, live: { preload: { seconds_to_complete: 1, refused_urls: [REFUSED] } } }), async (emu) => {
    const client = clientOn(emu, { rateLimits: 'disabled' });
    const given = [...urls('big', 4998), `http://${DOMAIN}/live/s.m3u8`, REFUSED, urls('big', 1)[0]];
    const seen = [];
    const report = await client.preloadLiveStreams(DOMAIN, given, { area: 'domestic', onProgress: (p) => seen.push(p) });
    assert.deepEqual([report.items.length, report.duplicatesRemoved, report.requests], [5000, 1, 50]);
    assert.deepEqual(
      report.items.map((i) => i.url),
      given.slice(0, 5000),
      'each URL once, in input order',
    );
    const failed = report.items.filter((i) => !i.succeeded).map((i) => [i.url, i.failure.kind, i.failure.code]);
    assert.deepEqual(failed, [
      [`http://${DOMAIN}/live/s.m3u8`, 'InvalidInput', 'hls'],
      [REFUSED, 'Api', 'TaskNotCreated'],
    ]);
    assert.equal(new Set(report.items.filter((i) => i.succeeded).map((i) => i.taskId)).size, 4998);
    // Progress arrives through the event loop; let the last callbacks run.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen.at(-1), { done: 5000, total: 5000, succeeded: 4998, failed: 2 });
  }));

test('media batches of 20', () =>
  withEmulator({ vod: { media: [...Array.from({ length: 41 }, (_, i) => ({ media_id: `m${i}` })), { media_id: 'locked', forbidden: true }] } }, async (emu) => {
    const client = clientOn(emu);
    const ids = [...Array.from({ length: 43 }, (_, i) => `m${i}`), 'locked'];
    for (const method of ['refreshMedia', 'preloadMedia']) {
      const report = await client[method](ids, { formats: ['mp4'] });
      assert.deepEqual([report.items.length, report.requests, report.jobIds.length], [44, 3, 3]);
      const failed = Object.fromEntries(report.items.filter((i) => !i.succeeded).map((i) => [i.mediaId, i.outcome]));
      assert.deepEqual(failed, { m41: 'not_found', m42: 'not_found', locked: 'forbidden' });
    }
  }));

test('paging with for await', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu);
    await client.preloadLiveStreams(DOMAIN, urls('page', 45));
    const tasks = [];
    for await (const task of client.preloadTasks({ domainName: DOMAIN, pageSize: 10 })) tasks.push(task);
    assert.equal(tasks.length, 45);
    assert.equal(new Set(tasks.map((t) => t.taskId)).size, 45);
    assert.ok(tasks.every((t) => t.createTime instanceof Date));
    const none = [];
    for await (const task of client.preloadTasks({ domainName: 'empty.example.com' })) none.push(task);
    assert.equal(none.length, 0);
    await assert.rejects(
      (async () => {
        await client.preloadTasks({ domainName: DOMAIN, pageSize: 500 }).next();
      })(),
      aliprefetch.InvalidInputError,
    );
  }));

test('waiting until tasks complete', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu);
    for (const n of [3, 15]) {
      const report = await client.preloadLiveStreams(DOMAIN, urls(`wait${n}`, n));
      const ids = report.items.map((i) => i.taskId);
      const seen = [];
      const tasks = await client.waitForPreload(DOMAIN, ids, { timeoutMs: 20_000, pollIntervalMs: 200, onProgress: (p) => seen.push(p) });
      assert.deepEqual(
        tasks.map((t) => t.taskId),
        ids,
      );
      assert.ok(tasks.every((t) => t.status === 'complete' && t.process === '100%'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(seen.at(-1).done, n);
    }
  }));

test('a wait that runs out of time', () =>
  withEmulator(fixtures({ live: { preload: { seconds_to_complete: 3600 } } }), async (emu) => {
    const client = clientOn(emu);
    const [item] = (await client.preloadLiveStreams(DOMAIN, ['rtmp://h/a/slow'])).items;
    const e = await client.waitForPreload(DOMAIN, [item.taskId], { timeoutMs: 300, pollIntervalMs: 100 }).catch((x) => x);
    assert.ok(e instanceof aliprefetch.TimeoutError);
    assert.ok(e.message.includes(item.taskId));
  }));

test('100 concurrent calls', () =>
  withEmulator({ quotas: { DescribeLiveStreamPreloadTasks: 0 } }, async (emu) => {
    const client = clientOn(emu, { rateLimits: 'disabled' });
    const answers = await Promise.all(Array.from({ length: 100 }, () => client.describeLiveStreamPreloadTasks({ domainName: DOMAIN })));
    assert.equal(new Set(answers.map((a) => a.requestId)).size, 100);
  }));
