#!/usr/bin/env node
// A JS value that only claims a length: an array of 2 ** 32 - 1 items, one of them set, as a batch's URLs. The
// addon refuses it (InvalidInputError, rule `size`) before allocating anything for it; nothing is sent (the
// endpoint is a closed port). BENCHMARKS.md, "Hostile input":
//
//     /usr/bin/time -f "%M KB %e s" node benchmarks/sparse-array.js
'use strict';

const aliprefetch = require('..');

const client = new aliprefetch.Client({ endpoint: '127.0.0.1:9', credentials: new aliprefetch.Credentials('testid', 'testsecret') });
const urls = ['rtmp://play.example.com/live/a'];
urls.length = 2 ** 32 - 1;
const start = process.hrtime.bigint();
client.preloadLiveStreams('play.example.com', urls).then(
  () => {
    console.error('accepted: this is a bug');
    process.exitCode = 1;
  },
  (e) => console.log(`${e.constructor.name} ${e.field} ${e.rule} in ${Number(process.hrtime.bigint() - start) / 1e6} ms`),
);
