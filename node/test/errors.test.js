'use strict';
// Error mapping: every core kind to its class with the fields; faults injected by the emulator.

const assert = require('node:assert/strict');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, withEmulator, clientOn, FAST_RETRY } = require('./helpers');

const rejection = (promise) =>
  promise.then(
    () => assert.fail('resolved'),
    (e) => e,
  );

test('the error classes', () => {
  for (const name of ['InvalidInputError', 'CredentialsError', 'AuthError', 'ThrottledError', 'ApiError', 'ServerError', 'TransportError', 'TimeoutError', 'DecodeError']) {
    const e = new aliprefetch[name]('x', { kind: 'Api' });
    assert.ok(e instanceof aliprefetch.AliPrefetchError && e instanceof Error, name);
    assert.equal(e.name, name);
  }
});

test('throttling', () =>
  withEmulator({ faults: { error_rate: 1.0, errors: ['Throttling.User'] } }, async (emu) => {
    const e = await rejection(clientOn(emu).describeLiveStreamPreloadTasks({ domainName: DOMAIN }));
    assert.ok(e instanceof aliprefetch.ThrottledError, String(e));
    assert.deepEqual([e.kind, e.code, e.retryable, e.attempts], ['Throttled', 'Throttling.User', true, 3]);
    assert.ok(e.requestId && e.httpStatus);
  }));

test('a server failure, retried then reported', () =>
  withEmulator({ faults: { error_rate: 1.0, errors: ['ServiceUnavailable'] } }, async (emu) => {
    const e = await rejection(
      clientOn(emu).hotLiveRtcStream({ domainName: DOMAIN, appName: 'a', streamName: 's', regionCode: 'US', audioMsid: 'a', videoMsid: 'v' }),
    );
    assert.ok(e instanceof aliprefetch.ServerError);
    assert.deepEqual([e.code, e.httpStatus, e.attempts], ['ServiceUnavailable', 503, 3]);
  }));

test('authentication', () =>
  withEmulator({}, async (emu) => {
    const wrong = new aliprefetch.Client({
      endpoint: emu.endpoint,
      credentials: new aliprefetch.Credentials('testid', 'sEcReT-9f8e7d', 'ToKeN-4c3b2a'),
      retry: FAST_RETRY,
    });
    const e = await rejection(wrong.describeLiveStreamPreloadTasks({ domainName: DOMAIN }));
    assert.ok(e instanceof aliprefetch.AuthError);
    assert.deepEqual([e.code, e.httpStatus, e.attempts], ['SignatureDoesNotMatch', 400, 1]);
    const shown = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
    assert.ok(!shown.includes('sEcReT-9f8e7d') && !shown.includes('ToKeN-4c3b2a'), 'no secret in the error');
    const unknown = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } });
    const u = await rejection(unknown.describeLiveStreamPreloadTasks({ domainName: DOMAIN }));
    assert.deepEqual([u.constructor, u.code, u.httpStatus], [aliprefetch.AuthError, 'InvalidAccessKeyId.NotFound', 404]);
  }));

test('transport failure: retried, never reached', async () => {
  const port = await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const p = server.address().port;
      server.close(() => resolve(p));
    });
  });
  const client = new aliprefetch.Client({ endpoint: `127.0.0.1:${port}`, credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, retry: FAST_RETRY });
  const e = await rejection(client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: ['rtmp://h/a/s'] }));
  assert.ok(e instanceof aliprefetch.TransportError);
  assert.deepEqual([e.kind, e.attempts, e.httpStatus], ['Transport', 3, null]);
});

test('read timeout', () =>
  withEmulator({ faults: { latency_ms: 2000 } }, async (emu) => {
    const e = await rejection(clientOn(emu, { timeouts: { readMs: 200 }, retry: 'disabled' }).describeLiveStreamPreloadTasks({ domainName: DOMAIN }));
    assert.ok(e instanceof aliprefetch.TimeoutError);
    assert.deepEqual([e.kind, e.attempts], ['Timeout', 1]);
  }));

test('a create whose answer was lost may have taken effect, so it is not retryable', () =>
  withEmulator({ faults: { ambiguous_rate: 1.0, ambiguous_delay_ms: 3000 } }, async (emu) => {
    const client = clientOn(emu, { timeouts: { readMs: 500 }, retry: 'disabled' });
    for (let i = 0; i < 4; i++) {
      const e = await rejection(client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/lost/${i}`] }));
      assert.ok(e instanceof aliprefetch.AliPrefetchError, String(e));
      assert.equal(e.retryable, false, `${e.kind}: ${e.message}`);
    }
    assert.equal(emu.tasks().length, 4, 'the service holds every task whose answer was lost');
  }));

test('the service refusing a request, and missing credentials', () =>
  withEmulator({}, async (emu) => {
    const e = await rejection(clientOn(emu).updateLivePullToPush({ taskId: 'nope', region: 'cn-shanghai' }));
    assert.ok(e instanceof aliprefetch.ApiError);
    assert.deepEqual([e.code, e.httpStatus, e.retryable], ['CodeTaskNotExist', 400, false]);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aliprefetch-home-'));
    const before = process.env.HOME;
    process.env.HOME = home;
    try {
      const client = new aliprefetch.Client({ endpoint: emu.endpoint, profile: 'event' });
      const c = await rejection(client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }));
      assert.ok(c instanceof aliprefetch.CredentialsError);
      assert.match(c.message, /config\.json/);
    } finally {
      process.env.HOME = before;
    }
  }));
