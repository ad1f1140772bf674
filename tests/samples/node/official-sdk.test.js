'use strict';
// A user's own test suite: code written against the official Node client (@alicloud/pop-core) and aliprefetch,
// tested with aliprefetch/testing under node:test. scripts/check-install runs it from the npm tarballs in
// target/dist; node/test/testing.test.js runs it against the build under test.

const assert = require('node:assert/strict');
const { test, beforeEach, afterEach } = require('node:test');
const RPCClient = require('@alicloud/pop-core').RPCClient;
const { useEmulator, withEmulator } = require('aliprefetch/testing');

const DOMAIN = 'play.example.com';
const live = useEmulator({ beforeEach, afterEach }, { fixtures: { accounts: [{ access_key_id: 'mine', access_key_secret: 's3cret' }] } });

test('the official client creates a task the emulator holds', async () => {
  const official = new RPCClient(live.popCoreConfig('2016-11-01'));
  const answer = await official.request('SetLiveStreamPreloadTasks', { DomainName: DOMAIN, PlayUrl: `rtmp://${DOMAIN}/live/pop` }, { method: 'POST' });
  assert.equal(answer.SuccessURL, 1);
  assert.deepEqual(live.emulator.tasks().map((t) => [t.account, t.playUrl]), [['mine', `rtmp://${DOMAIN}/live/pop`]]);
});

test('each test starts with an empty emulator', () => {
  assert.deepEqual(live.emulator.tasks(), []);
});

test('aliprefetch on the same emulator, with faults from the fixtures', () =>
  withEmulator({ fixtures: { faults: { error_rate: 1.0, errors: ['Throttling.User'] } } }, async ({ client, emulator }) => {
    await assert.rejects(client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }), { name: 'ThrottledError' });
    const before = emulator.now();
    emulator.advance('1h');
    // The emulator's clock runs on between the two readings: at least the hour, and not a minute more.
    const moved = (emulator.now() - before) / 1000;
    assert.ok(moved >= 3600 && moved < 3660, `${moved} s`);
  }));
