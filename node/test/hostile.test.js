'use strict';
// Inputs that used to abort the process (a panic across the addon's boundary) are refused with
// InvalidInputError naming the field.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, withEmulator, clientOn } = require('./helpers');

const FAR = '9999-12-31T23:59:59-01:00';

test('a time past the last year is refused by the signer', () => {
  assert.throws(
    () =>
      aliprefetch.signV1({
        method: 'POST',
        action: 'DescribeLiveStreamPreloadTasks',
        version: '2016-11-01',
        params: [],
        credentials: { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
        timestamp: FAR,
        nonce: 'n',
      }),
    (e) => e instanceof aliprefetch.InvalidInputError && e.rule === 'time_range',
  );
});

test('a time past the last year is refused before a call is sent', () =>
  withEmulator({}, async (emu) => {
    const client = clientOn(emu);
    await assert.rejects(
      client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/live/far`], preloadedStartTime: FAR }),
      (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'PreloadedStartTime',
    );
    assert.equal(emu.tasks().length, 0);
  }));

test('an absurd timeout is refused, not a crash', () => {
  assert.throws(
    () => new aliprefetch.Client({ endpoint: '127.0.0.1:9', credentials: new aliprefetch.Credentials('a', 'b'), timeouts: { connectMs: 1e300 } }),
    (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'connectMs',
  );
});

test('the published addon carries no test hooks', () => {
  // node/test-hooks/ runs against an addon built with them (`--features test-hooks`).
  assert.equal(aliprefetch._panicForTests, undefined);
  assert.equal(aliprefetch._panicLaterForTests, undefined);
});

test('a value that contains itself or nests deeply is refused, not a crash', () =>
  withEmulator({}, async (emu) => {
    const client = clientOn(emu);
    const looped = [`rtmp://${DOMAIN}/live/a`];
    looped.push(looped);
    let deep = [`rtmp://${DOMAIN}/live/a`];
    for (let i = 0; i < 10000; i += 1) deep = [deep];
    for (const value of [looped, deep]) {
      await assert.rejects(
        client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: value }),
        (e) => e instanceof aliprefetch.AliPrefetchError,
      );
      await assert.rejects(
        client.call('DescribeLiveStreamPreloadTasks', { service: 'live', params: { DomainName: DOMAIN, PlayUrl: value } }),
        (e) => e instanceof aliprefetch.AliPrefetchError,
      );
    }
    assert.deepEqual(emu.requestCounts(), [], 'nothing was sent');
  }));

test('a list that only claims a huge length (a sparse array) is refused before anything is allocated for it', () =>
  withEmulator({}, async (emu) => {
    const client = clientOn(emu);
    const claimed = [`rtmp://${DOMAIN}/live/a`];
    claimed.length = 2 ** 32 - 1;
    const refusedSize = (field) => (e) =>
      e instanceof aliprefetch.InvalidInputError && e.field === field && e.rule === 'size' && /4294967295 items/.test(e.message);
    await assert.rejects(client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: claimed }), refusedSize('playUrls'));
    await assert.rejects(client.preloadLiveStreams(DOMAIN, claimed), refusedSize('PlayUrl'));
    await assert.rejects(client.refreshMedia(claimed), refusedSize('MediaIds'));
    await assert.rejects(client.waitForPreload(DOMAIN, claimed), refusedSize('TaskId'));
    assert.throws(() => client.iterRefreshMedia(claimed), refusedSize('MediaIds'));
    await assert.rejects(
      client.call('DescribeLiveStreamPreloadTasks', { service: 'live', params: { DomainName: DOMAIN, PlayUrl: claimed } }),
      refusedSize('PlayUrl'),
    );
    // Holes in a short list, a BigInt past 64 bits and a symbol are refused naming the field too.
    const holed = [`rtmp://${DOMAIN}/live/a`, , `rtmp://${DOMAIN}/live/b`]; // eslint-disable-line no-sparse-arrays
    for (const [value, rule] of [[holed, 'type'], [[2n ** 70n], 'range'], [[Symbol('s')], 'type']]) {
      await assert.rejects(
        client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: value }),
        (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'playUrls' && e.rule === rule,
      );
    }
    assert.deepEqual(emu.requestCounts(), [], 'nothing was sent');
  }));

test('a misspelt batch option is refused naming it, not dropped', () =>
  withEmulator({}, async (emu) => {
    const client = clientOn(emu);
    await assert.rejects(
      client.preloadLiveStreams(DOMAIN, [`rtmp://${DOMAIN}/live/a`], { concurency: 2 }),
      (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'concurency' && e.rule === 'unknown' && /concurrency/.test(e.message),
    );
    await assert.rejects(
      client.refreshMedia(['m1'], { stream_types: ['video'] }),
      (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'stream_types' && /streamTypes/.test(e.message),
    );
    await assert.rejects(
      client.waitForPreload(DOMAIN, ['t1'], { timeout: 1000 }),
      (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'timeout' && /timeoutMs/.test(e.message),
    );
    assert.deepEqual(emu.requestCounts(), [], 'nothing was sent');
  }));

for (const offset of [3600, -3600]) {
  test(`a service clock ${offset} s off ours is followed`, () =>
    withEmulator({ clock_offset_seconds: offset }, async (emu) => {
      const client = clientOn(emu, { retry: { maxAttempts: 1 } });
      const created = await client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/live/skew${offset}`] });
      assert.equal(created.successUrl, 1);
      await client.describeLiveStreamPreloadTasks({ domainName: DOMAIN });
      const refused = emu.requestCounts().filter((c) => c.outcome.includes('InvalidTimeStamp'));
      assert.equal(refused.reduce((n, c) => n + c.count, 0), 1, 'refused once, then learned');
      assert.equal(emu.tasks().length, 1);
    }));
}

test('an invalid Date, or one past the year 9999, is refused naming the field; a Date is a wire time', () =>
  withEmulator({}, async (emu) => {
    const client = clientOn(emu);
    const playUrls = [`rtmp://${DOMAIN}/live/dates`];
    for (const [date, rule] of [
      [new Date(NaN), 'type'],
      [new Date(8.64e15), 'time_range'],
    ]) {
      await assert.rejects(client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls, preloadedStartTime: date }), (e) => {
        assert.ok(e instanceof aliprefetch.InvalidInputError, String(e));
        assert.equal(e.field, 'preloadedStartTime');
        assert.equal(e.rule, rule);
        return true;
      });
    }
    const at = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
    const signed = await client.presign('SetLiveStreamPreloadTasks', { domainName: DOMAIN, playUrls, preloadedStartTime: at });
    assert.ok(signed.url.includes('PreloadedStartTime=2030-01-02T03%3A04%3A05Z'), signed.url);
    assert.equal(emu.tasks().length, 0);
  }));
