'use strict';
// What a user sees through setLogger and DEBUG=aliprefetch: one line per attempt, retries and throttling, the
// signed request at trace (redacted), never a secret, and nothing once the logger is removed.

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { test } = require('node:test');
const aliprefetch = require('..');
const { DOMAIN, fixtures, withEmulator, clientOn } = require('./helpers');

const SECRET = 'sEcReT-stssecret-42';
const TOKEN = 'ToKeN-value-99';

/** Lets the queued log lines reach the JS thread: a bounded number of event-loop turns, not a clock. */
async function settle(records, until) {
  for (let i = 0; i < 200 && !until(records); i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return records;
}

const ours = (records) => records.filter((r) => r.name === 'aliprefetch.client.send');

test('each attempt is one line with its status and request id', () =>
  withEmulator(fixtures(), async (emu) => {
    const records = [];
    aliprefetch.setLogger((r) => records.push(r));
    try {
      const result = await clientOn(emu).describeLiveStreamPreloadTasks({ domainName: DOMAIN });
      await settle(records, (rs) => ours(rs).length > 0);
      const lines = ours(records);
      assert.equal(lines.length, 1, JSON.stringify(records));
      assert.equal(lines[0].level, 'debug');
      assert.match(
        lines[0].message,
        new RegExp(`^request action=DescribeLiveStreamPreloadTasks attempt=1 status=200 request_id=${result.requestId} ms=\\d+$`),
      );
    } finally {
      aliprefetch.setLogger(null);
    }
  }));

test('a throttled call shows each attempt, the retry and the end; info hides the attempts', () =>
  withEmulator(fixtures({ faults: { error_rate: 1.0, errors: ['Throttling.User'] } }), async (emu) => {
    for (const level of ['debug', 'info']) {
      const records = [];
      aliprefetch.setLogger((r) => records.push(r), { level });
      const client = clientOn(emu, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
      await assert.rejects(client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }), aliprefetch.ThrottledError);
      await settle(records, (rs) => ours(rs).some((r) => r.level === 'info'));
      await settle(records, (rs) => level === 'info' || ours(rs).some((r) => r.message.startsWith('not retried')));
      const lines = ours(records).map((r) => `${r.level} ${r.message}`);
      const attempts = lines.filter((l) => l.startsWith('debug request '));
      assert.equal(attempts.length, level === 'debug' ? 2 : 0, lines.join('\n'));
      assert.ok(attempts.every((l) => l.includes('status=400 code=Throttling.User request_id=')), lines.join('\n'));
      const retries = lines.filter((l) => l.startsWith('info retrying in '));
      assert.equal(retries.length, 1, lines.join('\n'));
      assert.match(retries[0], /after Throttling\.User action=DescribeLiveStreamPreloadTasks attempt=2 max_attempts=2$/);
    }
    aliprefetch.setLogger(null);
  }));

test('the signed request is at trace, redacted; no secret is ever logged; null stops the lines', () =>
  withEmulator(fixtures({ accounts: [{ access_key_id: 'STS.demo', access_key_secret: SECRET, security_token: TOKEN }] }), async (emu) => {
    const records = [];
    const shown = [];
    // A logger object (console-like): trace goes to its debug, each line prefixed with the logger's name.
    const logger = { debug: (m) => shown.push(m), info: (m) => shown.push(m), warn: (m) => shown.push(m), error: (m) => shown.push(m) };
    aliprefetch.setLogger((r) => records.push(r), { level: 'trace' });
    for (const signatureVersion of ['v1', 'v3']) {
      await clientOn(emu, { signatureVersion }).describeLiveStreamPreloadTasks({ domainName: DOMAIN });
    }
    aliprefetch.setLogger(logger, { level: 'trace' });
    await clientOn(emu).describeLiveStreamPreloadTasks({ domainName: DOMAIN });
    await settle(records, (rs) => rs.filter((r) => r.level === 'trace').length >= 2);
    await settle(shown, (s) => s.some((m) => m.includes('request action=')));
    const signed = records.filter((r) => r.level === 'trace').map((r) => r.message);
    assert.equal(signed.length, 2, JSON.stringify(records));
    assert.ok(signed.every((m) => /^signed request: (GET|POST) http:\/\/127\.0\.0\.1:\d+\/\?/.test(m)), signed.join('\n'));
    assert.ok(signed[0].includes('Signature=<redacted>') && signed[0].includes('SecurityToken=<redacted>'), signed[0]);
    assert.ok(signed[1].includes('authorization: <redacted>'), signed[1]);
    assert.ok(shown.some((m) => m.startsWith('aliprefetch.client.send: signed request: ')), shown.join('\n'));
    for (const text of [...records.map((r) => r.message), ...shown]) {
      assert.ok(!text.includes(SECRET) && !text.includes(TOKEN), text);
    }

    aliprefetch.setLogger(null);
    const before = records.length + shown.length;
    await clientOn(emu).describeLiveStreamPreloadTasks({ domainName: DOMAIN });
    await settle([], () => false);
    assert.equal(records.length + shown.length, before, 'nothing after setLogger(null)');
  }));

test('a logger that throws does not break the call', () =>
  withEmulator(fixtures(), async (emu) => {
    aliprefetch.setLogger(() => {
      throw new Error('a broken logger');
    });
    const warned = [];
    const onWarning = (w) => warned.push(w.message);
    process.on('warning', onWarning);
    try {
      assert.equal((await clientOn(emu).describeLiveStreamPreloadTasks({ domainName: DOMAIN })).totalNum, 0);
      await settle(warned, (w) => w.length > 0);
      assert.ok(warned.some((m) => m.includes('the logger threw: a broken logger')), warned.join('\n'));
    } finally {
      process.off('warning', onWarning);
      aliprefetch.setLogger(null);
    }
  }));

test('setLogger refuses what it cannot use, naming it', () => {
  const refused = (fn, field, rule) =>
    assert.throws(fn, (e) => e instanceof aliprefetch.InvalidInputError && e.field === field && e.rule === rule);
  refused(() => aliprefetch.setLogger(() => {}, { levle: 'debug' }), 'levle', 'unknown');
  refused(() => aliprefetch.setLogger(() => {}, { level: 'verbose' }), 'level', 'enum');
  refused(() => aliprefetch.setLogger({ info() {} }), 'logger', 'type');
  refused(() => aliprefetch.setLogger('stderr'), 'logger', 'type');
});

test('DEBUG=aliprefetch prints the lines on stderr', () => {
  const script = `
    const aliprefetch = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    (async () => {
      const emu = await aliprefetch.Emulator.start();
      const client = new aliprefetch.Client({ endpoint: emu.endpoint, credentials: emu.credentials });
      await client.describeLiveStreamPreloadTasks({ domainName: 'play.example.com' });
      await new Promise((resolve) => setImmediate(resolve));
      await emu.stop();
    })();`;
  for (const [debug, expect, absent] of [
    ['aliprefetch', / DEBUG aliprefetch\.client\.send: request action=DescribeLiveStreamPreloadTasks attempt=1 status=200 /, /signed request/],
    ['express,aliprefetch:trace', / TRACE aliprefetch\.client\.send: signed request: /, /testsecret/],
    ['express', null, /aliprefetch\./],
  ]) {
    const run = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DEBUG: debug }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    if (expect) assert.match(run.stderr, expect);
    assert.doesNotMatch(run.stderr, absent);
  }
});
