#!/usr/bin/env node
// One side of a before/after comparison of the Node addon against a running emulator (quotas lifted): `describe`
// (the best of 7 x 500 sequential DescribeLiveStreamPreloadTasks calls), `presign` (the best of 7 x 5,000 awaited
// presigns) or `sign` (the best of 5 x 50,000 synchronous signV1 calls: the argument walk and the signer). Run it
// alternately with each build's addon (BENCHMARKS.md, "Before and after issue 23's declarations"):
//
//     ALIPREFETCH_NATIVE_PATH=/tmp/ab/before.node node benchmarks/ab.js describe http://127.0.0.1:PORT
'use strict';

const aliprefetch = require('..');

const [what, endpoint] = process.argv.slice(2);
const DOMAIN = 'play.example.com';

async function best(fn, rounds, repeats) {
  for (let i = 0; i < rounds; i += 1) await fn();
  let fastest = Infinity;
  for (let r = 0; r < repeats; r += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) await fn();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9 / rounds);
  }
  return fastest;
}

async function main() {
  const client = new aliprefetch.Client({ endpoint, credentials: new aliprefetch.Credentials('testid', 'testsecret'), rateLimits: 'disabled' });
  if (what === 'describe') {
    const s = await best(() => client.describeLiveStreamPreloadTasks({ domainName: DOMAIN }), 500, 7);
    console.log(`describe ${Math.round(1 / s)}/s`);
  } else if (what === 'presign') {
    const params = { DomainName: DOMAIN, PlayUrl: ['http://play.example.com/app/s1.flv'], Area: 'domestic' };
    const s = await best(() => client.presign('SetLiveStreamPreloadTasks', params), 5000, 7);
    console.log(`presign ${(s * 1e6).toFixed(2)} us`);
  } else {
    const input = {
      method: 'POST',
      action: 'DescribeLiveStreamPreloadTasks',
      version: '2016-11-01',
      params: [['DomainName', DOMAIN], ['PlayUrl', 'http://play.example.com/app/s1.flv']],
      credentials: { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
      timestamp: '2026-01-01T00:00:00Z',
      nonce: 'n',
    };
    const s = await best(() => aliprefetch.signV1(input), 50000, 5);
    console.log(`signV1 ${(s * 1e6).toFixed(2)} us`);
  }
}

main();
