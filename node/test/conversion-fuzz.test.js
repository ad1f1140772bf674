'use strict';
// Fuzzing the conversion of JS values through the Rust side: any value (nested, self-containing, deep) as
// any parameter of any operation is either accepted or refused with an AliPrefetchError, never a crash,
// a hang or another exception. `presign` validates and signs as a call would, and sends nothing.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const fc = require('fast-check');
const aliprefetch = require('..');

const ACTIONS = {
  SetLiveStreamPreloadTasks: ['domainName', 'playUrls', 'area', 'preloadedStartTime', 'preloadedEndTime'],
  DescribeLiveStreamPreloadTasks: ['domainName', 'taskId', 'playUrls', 'status', 'pageSize', 'pageNum'],
  HotLiveRtcStream: ['domainName', 'appName', 'streamName', 'regionCode', 'connectionTimeout'],
  UpdateLivePullToPush: ['taskId', 'region', 'sourceUrls', 'repeatNumber', 'offset', 'callbackUrl'],
  RefreshMediaPlayUrls: ['mediaIds', 'taskType', 'formats', 'sliceCount', 'userData'],
};

/** `value` wrapped in `depth` arrays, the innermost holding the outermost: a cycle. */
function loopInto(value, depth) {
  const outer = [value];
  let inner = outer;
  for (let i = 0; i < depth; i += 1) {
    const next = [value];
    inner.push(next);
    inner = next;
  }
  inner.push(outer);
  return outer;
}

function nest(value, depth) {
  let v = value;
  for (let i = 0; i < depth; i += 1) v = [v];
  return v;
}

/** An array that claims `length` items and holds `value` at its start: the rest are holes. */
function sparse(value, length) {
  const a = [value];
  a.length = length;
  return a;
}

const shaped = fc.oneof(
  fc.anything({ maxDepth: 4, withDate: true, withMap: true, withSet: true, withTypedArray: true, withBigInt: true }),
  fc.tuple(fc.string(), fc.integer({ min: 1, max: 2 ** 32 - 1 })).map(([v, n]) => sparse(v, n)),
  fc.tuple(fc.anything({ maxDepth: 2 }), fc.integer({ min: 0, max: 40 })).map(([v, d]) => loopInto(v, d)),
  fc.tuple(fc.string(), fc.integer({ min: 0, max: 20000 })).map(([v, d]) => nest(v, d)),
);

const client = new aliprefetch.Client({ endpoint: '127.0.0.1:9', credentials: new aliprefetch.Credentials('testid', 'testsecret') });

test('any value as any parameter is taken or refused cleanly', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(ACTIONS)), fc.nat(), shaped, async (action, pick, value) => {
      const fields = ACTIONS[action];
      const params = { [fields[pick % fields.length]]: value };
      try {
        await client.presign(action, params);
      } catch (e) {
        assert.ok(e instanceof aliprefetch.AliPrefetchError, `${action}: ${e && e.stack}`);
        assert.equal(e.kind, 'InvalidInput', `${action}: ${e.message}`);
      }
    }),
    { numRuns: 300, seed: 20261206 },
  );
});
