'use strict';
// The declarations index.d.ts re-exports from records.d.ts (generated from the core's record declarations)
// have exactly the fields of the records the core writes (computed properties included), in JavaScript
// naming: the core owns the result model; the addon only renames its keys.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const { DOMAIN, clientOn, load, withEmulator } = require('./helpers');

const JS_NAME = {
  SetLiveStreamPreloadTasksResponse: 'SetLiveStreamPreloadTasksResult',
  DescribeLiveStreamPreloadTasksResponse: 'DescribeLiveStreamPreloadTasksResult',
  HotLiveRtcStreamResponse: 'HotLiveRtcStreamResult',
  UpdateLivePullToPushResponse: 'UpdateLivePullToPushResult',
  RefreshMediaPlayUrlsResponse: 'RefreshMediaPlayUrlsResult',
};

/** The property names of `export interface name { … }` in records.d.ts (comments skipped). */
function declared(dts, name) {
  const match = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(dts);
  assert.ok(match, `${name} is not declared in records.d.ts`);
  const body = match[1].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...body.matchAll(/^\s*(?:readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)\??:/gm)].map((m) => m[1]).sort();
}

test('records.d.ts declares the fields of every core record, and index.d.ts re-exports them', () => {
  const index = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  assert.ok(index.includes("export * from './records';"), 'index.d.ts re-exports them');
  const dts = fs.readFileSync(path.join(__dirname, '..', 'records.d.ts'), 'utf8');
  const records = Object.fromEntries(Object.entries(load('tests/record_keys.json')).map(([n, r]) => [n, r.camelCase]));
  assert.equal(Object.keys(records).length, 13);
  for (const [core, keys] of Object.entries(records)) {
    const name = JS_NAME[core] ?? core;
    assert.deepEqual(declared(dts, name), [...keys].sort(), `${name}`);
  }
});

test('what the emulator holds has the fields records.d.ts declares for it', () =>
  withEmulator({}, async (emu) => {
    // HeldPreloadTask, HeldRefreshJob and RequestCount are generated from the emulator's declarations.
    const client = clientOn(emu);
    await client.setLiveStreamPreloadTasks({ domainName: DOMAIN, playUrls: [`rtmp://${DOMAIN}/live/held`] });
    await client.refreshMediaPlayUrls({ mediaIds: ['m1'], taskType: 'Refresh' });
    const dts = fs.readFileSync(path.join(__dirname, '..', 'records.d.ts'), 'utf8');
    for (const [name, values] of [
      ['HeldPreloadTask', emu.tasks()],
      ['HeldRefreshJob', emu.refreshJobs()],
      ['RequestCount', emu.requestCounts()],
    ]) {
      assert.ok(values.length > 0, name);
      for (const value of values) assert.deepEqual(Object.keys(value).sort(), declared(dts, name), name);
    }
  }));
