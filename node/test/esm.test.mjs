// The package from ESM: named imports work (the official packages fail here with "Client is not a constructor"),
// and the classes are the very ones CommonJS users get, so `instanceof` holds across both.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import aliprefetchDefault, { Client, Emulator, InvalidInputError, AliPrefetchError } from 'aliprefetch';

const require = createRequire(import.meta.url);
const cjs = require('aliprefetch');

test('ESM and CommonJS share one set of classes', async () => {
  assert.equal(Client, cjs.Client);
  assert.equal(InvalidInputError, cjs.InvalidInputError);
  assert.equal(aliprefetchDefault.Client, Client);
  assert.equal(cjs.default, cjs);
  const emu = await Emulator.start();
  try {
    const client = new Client({ endpoint: emu.endpoint, credentials: emu.credentials });
    const e = await client.setLiveStreamPreloadTasks({ domainName: 'd', playUrls: [] }).catch((x) => x);
    assert.ok(e instanceof InvalidInputError && e instanceof cjs.InvalidInputError && e instanceof AliPrefetchError);
    const viaCjs = await new cjs.Client({ endpoint: emu.endpoint, credentials: emu.credentials })
      .setLiveStreamPreloadTasks({ domainName: 'd', playUrls: [] })
      .catch((x) => x);
    assert.ok(viaCjs instanceof InvalidInputError, 'a CommonJS client rejects with the ESM class too');
  } finally {
    await emu.stop();
  }
});
