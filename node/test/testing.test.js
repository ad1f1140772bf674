'use strict';
// aliprefetch/testing as a user's suite meets it: the sample suite (tests/samples/node), written against the official
// client, run by node:test in a child process resolving `aliprefetch/testing` to this package; and its misuse.

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const { useEmulator } = require('../testing.js');

test('the sample suite with the official client passes', () => {
  // A project of its own whose node_modules holds this package; the official client resolves from this package's
  // development dependencies, up the tree.
  const project = fs.mkdtempSync(path.join(__dirname, '.sample-'));
  fs.mkdirSync(path.join(project, 'node_modules'));
  fs.symlinkSync(path.resolve(__dirname, '..'), path.join(project, 'node_modules', 'aliprefetch'));
  fs.copyFileSync(path.resolve(__dirname, '..', '..', 'tests', 'samples', 'node', 'official-sdk.test.js'), path.join(project, 'official-sdk.test.js'));
  try {
    // A run of its own, not a child of this runner (which it would report to instead of printing).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const run = spawnSync(process.execPath, ['--test', 'official-sdk.test.js'], { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /# pass 3\n/);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test('useEmulator needs the framework hooks, and its emulator is only there during a test', () => {
  assert.throws(() => useEmulator({}), TypeError);
  const hooks = { beforeEach() {}, afterEach() {} };
  const live = useEmulator(hooks);
  assert.throws(() => live.emulator, /only inside a test/);
});
