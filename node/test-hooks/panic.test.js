'use strict';
// What a panic in the addon becomes, through functions that panic on purpose. They exist only in an addon built
// with the `test-hooks` feature (scripts/test builds one; no published package has them):
//   cargo build -p aliprefetch-node --features test-hooks
//   cp target/debug/libaliprefetch_node.so target/hooks/aliprefetch.node
//   ALIPREFETCH_NATIVE_PATH=$PWD/target/hooks/aliprefetch.node node --test node/test-hooks/

const assert = require('node:assert/strict');
const { test } = require('node:test');
const aliprefetch = require('..');

test('the addon under test carries the hooks', () => {
  assert.equal(typeof aliprefetch._panicForTests, 'function', 'build the addon with --features test-hooks');
});

test('a panic in the addon is an AliPrefetchError of kind Internal, and the process goes on', () => {
  assert.throws(
    () => aliprefetch._panicForTests('boom'),
    (e) => e instanceof aliprefetch.AliPrefetchError && e.kind === 'Internal' && e.message.includes('boom'),
  );
  assert.equal(typeof aliprefetch.version, 'string');
});

test('a call whose future panics is rejected with an AliPrefetchError of kind Internal', async () => {
  await assert.rejects(
    aliprefetch._panicLaterForTests('boom later'),
    (e) => e instanceof aliprefetch.AliPrefetchError && e.kind === 'Internal' && e.message.includes('boom later'),
  );
  assert.equal(typeof aliprefetch.version, 'string');
});
