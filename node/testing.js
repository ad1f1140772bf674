'use strict';
// aliprefetch/testing: an emulator per test for a user's own suite (node:test, Jest, Vitest), and the settings that
// point the official Node client (@alicloud/pop-core) at it. Each test gets an emulator of its own on a free loopback
// port, stopped after it, so tests never share state and parallel workers never share a port.

const { Client, Emulator } = require('./index.js');

/** The first account of the fixtures (an object; its JSON text or a path are read too), or the default one. */
function firstAccount(fixtures) {
  let f = fixtures;
  if (typeof f === 'string') f = JSON.parse(f.trimStart().startsWith('{') ? f : require('node:fs').readFileSync(f, 'utf8'));
  const accounts = (f && f.accounts) || [{ access_key_id: 'testid', access_key_secret: 'testsecret' }];
  return accounts[0];
}

/** What a test holds: the emulator, a client on it, and the official client's settings for it. */
function harness(emulator, options) {
  const account = firstAccount(options.fixtures);
  return {
    emulator,
    client: new Client({ endpoint: emulator.endpoint, credentials: emulator.credentials }),
    /** `new RPCClient(popCoreConfig('2016-11-01'))` of @alicloud/pop-core: Live is 2016-11-01, VOD 2017-03-21. */
    popCoreConfig(apiVersion) {
      return {
        accessKeyId: account.access_key_id,
        accessKeySecret: account.access_key_secret,
        ...(account.security_token ? { securityToken: account.security_token } : {}),
        endpoint: emulator.endpoint,
        apiVersion,
      };
    },
  };
}

/** Runs `fn(harness)` with an emulator started from `options` (`fixtures`, `seed`, `now`), stopped afterwards. */
async function withEmulator(options, fn) {
  const emulator = await Emulator.start(options || {});
  try {
    return await fn(harness(emulator, options || {}));
  } finally {
    await emulator.stop();
  }
}

/**
 * An emulator per test, through the framework's hooks: `useEmulator({ beforeEach, afterEach }, options)` with
 * node:test's, Jest's or Vitest's `beforeEach`/`afterEach`. The returned object's `emulator`, `client` and
 * `popCoreConfig()` are the running test's.
 */
function useEmulator(hooks, options = {}) {
  if (!hooks || typeof hooks.beforeEach !== 'function' || typeof hooks.afterEach !== 'function') {
    throw new TypeError('useEmulator needs the test framework\'s { beforeEach, afterEach }');
  }
  let current = null;
  hooks.beforeEach(async () => {
    current = harness(await Emulator.start(options), options);
  });
  hooks.afterEach(async () => {
    const running = current;
    current = null;
    if (running) await running.emulator.stop();
  });
  const now = () => {
    if (!current) throw new Error('the emulator runs only inside a test (between beforeEach and afterEach)');
    return current;
  };
  return {
    get emulator() {
      return now().emulator;
    },
    get client() {
      return now().client;
    },
    popCoreConfig(apiVersion) {
      return now().popCoreConfig(apiVersion);
    },
  };
}

module.exports = { withEmulator, useEmulator };
