'use strict';
// Every operation against the in-process emulator.

const assert = require('node:assert/strict');
const util = require('node:util');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, RELAY_TASK, fixtures, withEmulator, clientOn } = require('./helpers');

test('SetLiveStreamPreloadTasks and DescribeLiveStreamPreloadTasks', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu);
    const start = new Date(Date.now() + 60_000);
    const created = await client.setLiveStreamPreloadTasks({
      domainName: DOMAIN,
      playUrls: ['rtmp://play.example.com/live/a', 'rtmp://play.example.com/live/b'],
      area: 'domestic',
      preloadedStartTime: start,
      preloadedEndTime: new Date(start.getTime() + 3_600_000),
    });
    assert.deepEqual([created.totalUrl, created.successUrl, created.failedUrl], [2, 2, 0]);
    assert.equal(typeof created.requestId, 'string');
    const [first] = created.preloadTasksMessages;
    assert.equal(first.playUrl, 'rtmp://play.example.com/live/a');
    assert.match(first.taskId, /^[0-9a-f-]{36}$/);

    const page = await client.describeLiveStreamPreloadTasks({ domainName: DOMAIN, taskId: first.taskId });
    assert.equal(page.totalNum, 1);
    const task = page.preloadTasks[0];
    assert.deepEqual([task.taskId, task.playUrl, task.area, task.status], [first.taskId, first.playUrl, 'domestic', 'pending']);
    assert.ok(task.createTime instanceof Date);
    assert.equal(task.preloadedStartTime.getTime(), Math.floor(start.getTime() / 1000) * 1000, 'Dates in, Dates out');
  }));

test('HotLiveRtcStream', () =>
  withEmulator(fixtures(), async (emu) => {
    const result = await clientOn(emu).hotLiveRtcStream({
      domainName: DOMAIN,
      appName: 'live',
      streamName: 's1',
      regionCode: 'ZHJ',
      audioMsid: 'rts audio',
      videoMsid: 'rts video',
      connectionTimeout: 30_000,
    });
    assert.deepEqual(Object.keys(result), ['requestId']);
  }));

test('UpdateLivePullToPush', () =>
  withEmulator(fixtures(), async (emu) => {
    const result = await clientOn(emu).updateLivePullToPush({
      taskId: RELAY_TASK,
      region: 'cn-shanghai',
      sourceUrls: ['rtmp://origin.example.com/app/a', 'rtmp://origin.example.com/app/b'],
      repeatNumber: -1,
      offset: 30,
      endTime: new Date('2030-01-03T00:00:00Z'),
    });
    assert.deepEqual([result.retCode, result.description], [0, 'OK']);
  }));

test('RefreshMediaPlayUrls', () =>
  withEmulator({ vod: { media: [{ media_id: 'm1' }, { media_id: 'locked', forbidden: true }] } }, async (emu) => {
    const result = await clientOn(emu).refreshMediaPlayUrls({
      mediaIds: ['m1', 'nope', 'locked'],
      taskType: 'Refresh',
      formats: ['mp4', 'm3u8'],
      userData: { Extend: { localId: 'x' } },
    });
    assert.ok(result.mediaRefreshJobId);
    assert.deepEqual([result.nonExistMediaIds, result.forbiddenMediaIds], [['nope'], ['locked']]);
  }));

test('V1 signing and STS credentials', () =>
  withEmulator({ accounts: [{ access_key_id: 'STS.demo', access_key_secret: 'stssecret', security_token: 'token-value' }] }, async (emu) => {
    assert.ok(emu.credentials.hasSecurityToken);
    for (const signatureVersion of ['v1', 'v3']) {
      const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials, signatureVersion });
      assert.equal((await client.describeLiveStreamPreloadTasks({ domainName: DOMAIN })).totalNum, 0);
    }
  }));

test('the generic call and presign', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu);
    const answer = await client.call('DescribeLiveStreamPreloadTasks', { service: 'live', params: { DomainName: DOMAIN, PageSize: 5 } });
    assert.equal(answer.PageSize, 5);
    const signed = await client.presign('SetLiveStreamPreloadTasks', { domainName: DOMAIN, playUrls: ['rtmp://h/a/s'] });
    assert.ok(signed instanceof aliprefetch.SignedRequest);
    assert.equal(signed.method, 'POST');
    assert.ok(signed.url.startsWith(emu.endpoint));
    const authorization = signed.headers.find(([k]) => k === 'authorization')[1];
    assert.ok(authorization.startsWith('ACS3-HMAC-SHA256 Credential=testid,'));
    for (const shown of [util.inspect(signed), JSON.stringify(signed)]) {
      assert.ok(!shown.includes(authorization) && shown.includes('<redacted>'), shown);
    }
    await assert.rejects(client.presign('SetLiveStreamPreloadTasks', { domainName: DOMAIN }), { field: 'PlayUrl', rule: 'required' });
  }));

test('client options are checked', () => {
  assert.throws(() => new aliprefetch.Client({ endpoint: 'http://example.com', credentials: { accessKeyId: 'a', accessKeySecret: 'b' } }), {
    name: 'InvalidInputError',
    field: 'endpoint',
  });
  assert.throws(() => new aliprefetch.Client({ signatureVersion: 'v2' }), { field: 'signatureVersion' });
  assert.throws(() => new aliprefetch.Client({ credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, profile: 'p' }), aliprefetch.InvalidInputError);
  const credentials = { accessKeyId: 'a', accessKeySecret: 'b' };
  assert.throws(() => new aliprefetch.Client({ credentials, rateLimitUrl: 'http://:pw-1234@127.0.0.1:6379' }), (e) => {
    assert.equal(e.field, 'rateLimitUrl');
    assert.equal(e.rule, 'format');
    assert.ok(!e.message.includes('pw-1234'), e.message);
    return true;
  });
  assert.throws(() => new aliprefetch.Client({ credentials, rateLimits: 'disabled', rateLimitUrl: 'redis://127.0.0.1:1/0' }), {
    field: 'rateLimitUrl',
    rule: 'conflict',
  });
  const shared = new aliprefetch.Client({ credentials, rateLimitUrl: 'redis://127.0.0.1:1/0?key_prefix=p' });
  assert.equal(shared.pacingIsShared, false);
  const client = new aliprefetch.Client({ region: 'cn-beijing', rateLimits: { HotLiveRtcStream: 0 }, retry: 'disabled', timeouts: { readMs: 2500 } });
  assert.equal(client.region, 'cn-beijing');
});

test('a misspelt client option is refused naming it, and every declared one is taken', () => {
  // The keys are the core's declaration (CLIENT_OPTIONS); one that is not there was silently ignored before.
  for (const [options, field] of [
    [{ regoin: 'cn-beijing' }, 'regoin'],
    [{ readTimeout: 2000 }, 'readTimeout'],
    [{ timeouts: { read: 2000 } }, 'read'],
    [{ retry: { attempts: 2 } }, 'attempts'],
  ]) {
    assert.throws(() => new aliprefetch.Client(options), (e) => {
      assert.ok(e instanceof aliprefetch.InvalidInputError, String(e));
      assert.equal(e.field, field);
      assert.equal(e.rule, 'unknown');
      return true;
    });
  }
  // A typo names the option meant, and so does a misspelt action of the documented quotas.
  assert.throws(() => new aliprefetch.Client({ retry: { maxAttempt: 1 } }), /did you mean `maxAttempts`\?/);
  assert.throws(() => new aliprefetch.Client({ pollInterval: 5 }), (e) => e.field === 'pollInterval' && !/did you mean/.test(e.message));
  assert.throws(
    () => new aliprefetch.Client({ rateLimits: { DescribeLiveStreamPreloadTask: 5 } }),
    (e) => e.field === 'rateLimits' && /did you mean `DescribeLiveStreamPreloadTasks`\?/.test(e.message),
  );
  assert.throws(() => new aliprefetch.Client({ retry: { maxAttempts: 0 } }), { field: 'maxAttempts', rule: 'range' });
  assert.throws(() => new aliprefetch.Client({ connectTimeoutMs: -1 }), { field: 'connectTimeoutMs', rule: 'range' });
  const client = new aliprefetch.Client({
    region: 'cn-beijing',
    liveEndpoint: '127.0.0.1:1',
    vodEndpoint: '127.0.0.1:2',
    credentials: new aliprefetch.Credentials('a', 'b'),
    signatureVersion: 'v1',
    connectTimeoutMs: 1000,
    readTimeoutMs: 2000,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxElapsedMs: 1000 },
    rateLimits: 'documented',
    allowInsecureHttp: false,
    userAgent: 'mine/1',
  });
  assert.equal(client.region, 'cn-beijing');
});

test('secrets stay out of inspection and JSON', () => {
  const creds = new aliprefetch.Credentials('LTAI-id', 'sEcReT-9f8e7d', 'ToKeN-4c3b2a');
  for (const shown of [util.inspect(creds), JSON.stringify(creds), util.inspect(new aliprefetch.Client({ credentials: creds }))]) {
    assert.ok(!shown.includes('sEcReT-9f8e7d') && !shown.includes('ToKeN-4c3b2a'), shown);
  }
  assert.ok(util.inspect(creds).includes('LTAI-id'));
});

test('advance takes a duration with its unit, and refuses a bare number', () =>
  withEmulator(fixtures(), async (emu) => {
    // One form in every language: `advance(60_000)` once meant 60 s here and 16 h 40 min in Python.
    const start = emu.now();
    emu.advance('90s');
    emu.advance('1h');
    emu.advance('1500ms');
    const moved = () => (emu.now() - start) / 1000;
    // The clock also runs on between the readings: at least the steps, and not a minute more.
    assert.ok(moved() >= 3691 && moved() < 3751, `moved ${moved()} s`);
    assert.throws(() => emu.advance(60_000), (e) => {
      assert.equal(e.field, 'by');
      assert.equal(e.rule, 'unit');
      assert.match(e.message, /"60s"/);
      return true;
    });
    assert.ok(moved() < 3751, 'a refused step does not move the clock');
  }));

test('a misspelt parameter is named in camelCase, with the closest camelCase name; one given twice is refused', async () => {
  const client = new aliprefetch.Client({ endpoint: 'http://127.0.0.1:9', credentials: new aliprefetch.Credentials('a', 'b') });
  await assert.rejects(
    client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/live/s`], aera: 'domestic' }),
    (e) => {
      assert.equal(e.field, 'aera');
      assert.equal(e.rule, 'unknown');
      assert.match(e.message, /did you mean `area`\?/);
      assert.match(e.message, /known: domainName, playUrls, area, preloadedStartTime, preloadedEndTime, regionId\)/);
      return true;
    },
  );
  await assert.rejects(
    client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrl: [`rtmp://${DOMAIN}/live/a`], playUrls: [`rtmp://${DOMAIN}/live/b`] }),
    (e) => e instanceof aliprefetch.InvalidInputError && e.rule === 'duplicate',
  );
  await assert.rejects(async () => {
    for await (const task of client.preloadTasks({ domainName: DOMAIN, stauts: 'complete' })) assert.fail(`a task: ${task}`);
  }, (e) => e.field === 'stauts' && /`status`/.test(e.message));
});

test('a time may be relative to now, as on the command line', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu);
    await client.setLiveStreamPreloadTasks({
      domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/live/rel`], preloadedStartTime: 'now+1h', preloadedEndTime: 'now + 2h 30m',
    });
    await client.preloadLiveStreams(DOMAIN, [`rtmp://${DOMAIN}/live/opt`], { start: 'now+10m' });
    const { preloadTasks } = await client.describeLiveStreamPreloadTasks({ domainName: DOMAIN });
    const byUrl = Object.fromEntries(preloadTasks.map((t) => [t.playUrl, t]));
    const now = Date.now();
    const near = (date, seconds) => Math.abs((date - now) / 1000 - seconds) < 120;
    assert.ok(near(byUrl[`rtmp://${DOMAIN}/live/rel`].preloadedStartTime, 3600), 'now+1h');
    assert.ok(near(byUrl[`rtmp://${DOMAIN}/live/rel`].preloadedEndTime, 9000), 'now + 2h 30m');
    assert.ok(near(byUrl[`rtmp://${DOMAIN}/live/opt`].preloadedStartTime, 600), 'a batch option: now+10m');
    await assert.rejects(
      client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: ['rtmp://a/b/c'], preloadedStartTime: 'now+soon' }),
      (e) => e.field === 'PreloadedStartTime' && e.rule === 'timestamp',
    );
  }));

test('faults can be set while the emulator runs', () =>
  withEmulator(fixtures(), async (emu) => {
    const client = clientOn(emu, { retry: { maxAttempts: 1 } });
    emu.setFaults({ error_rate: 1.0, errors: ['Throttling.User'] });
    await assert.rejects(client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }), aliprefetch.ThrottledError);
    emu.setFaults({});
    assert.equal((await client.describeLiveStreamPreloadTasks({ domainName: DOMAIN })).totalNum, 0);
    assert.throws(() => emu.setFaults({ error_rate: 2 }), (e) => e instanceof aliprefetch.InvalidInputError && e.field === 'faults');
  }));
